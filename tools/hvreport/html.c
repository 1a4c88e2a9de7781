/*
 * report.html: one self-contained page (no network, no external scripts):
 * the verdict, the host's identity, the check table with filters by layer
 * and result, and two small SVG plots (heartbeat intervals over the run,
 * time-sync offsets per sample).
 */
#include <string.h>

#include "tools/hvreport/log.h"

#define PLOT_W 480
#define PLOT_H 160
#define PAD 36

static const char style[] =
	"body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
	"h1{font-size:20px}.PASS{color:#1a7f37}.FAIL{color:#cf222e}.NO-HYPERV,.NONE{color:#9a6700}"
	"table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}"
	"tr.pass td.r{color:#1a7f37}tr.fail td.r{color:#cf222e;font-weight:bold}tr.skip td.r{color:#9a6700}tr.warn td.r{color:#bc4c00;font-weight:bold}"
	"svg{border:1px solid #ddd;margin:4px 16px 4px 0}.plots{display:flex;flex-wrap:wrap}"
	"code{font-size:12px}";

/* Filtering without external scripts: hide rows whose layer or result does not match. */
static const char script[] =
	"function f(){var l=document.getElementById('layer').value,r=document.getElementById('result').value;"
	"document.querySelectorAll('#checks tbody tr').forEach(function(t){"
	"t.style.display=((!l||t.dataset.layer==l)&&(!r||t.dataset.result==r))?'':'none';});}";

/* A line plot of (x, y) points with its title and axis units. */
static void plot(FILE *f, const char *title, const char *xunit, const char *yunit,
		 const double *x, const double *y, size_t n)
{
	double xmin = 0, xmax = 1, ymin = 0, ymax = 1;

	fprintf(f, "<figure><figcaption>%s</figcaption>", title);
	fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", PLOT_W, PLOT_H,
		title);
	if (n == 0) {
		fprintf(f, "<text x=\"%d\" y=\"%d\">no data in this run</text></svg></figure>",
			PAD, PLOT_H / 2);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!i || x[i] < xmin)
			xmin = x[i];
		if (!i || x[i] > xmax)
			xmax = x[i];
		if (!i || y[i] < ymin)
			ymin = y[i];
		if (!i || y[i] > ymax)
			ymax = y[i];
	}
	if (ymin > 0)
		ymin = 0;
	if (xmax == xmin)
		xmax = xmin + 1;
	if (ymax == ymin)
		ymax = ymin + 1;
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD,
		PLOT_H - PAD, PLOT_W - 8, PLOT_H - PAD);
	fprintf(f, "<line x1=\"%d\" y1=\"8\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD, PAD,
		PLOT_H - PAD);
	fprintf(f, "<text x=\"2\" y=\"14\" font-size=\"10\">%.0f</text>", ymax);
	fprintf(f, "<text x=\"2\" y=\"%d\" font-size=\"10\">%.0f</text>", PLOT_H - PAD, ymin);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.1f</text>", PAD, PLOT_H - PAD + 14, xmin);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%.1f %s</text>",
		PLOT_W - 8, PLOT_H - PAD + 14, xmax, xunit);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", PAD + 4, 18, yunit);
	fprintf(f, "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%.1f,%.1f ", PAD + (x[i] - xmin) / (xmax - xmin) * (PLOT_W - 8 - PAD),
			8 + (ymax - y[i]) / (ymax - ymin) * (PLOT_H - PAD - 8));
	fprintf(f, "\"/>");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "<circle r=\"2.5\" fill=\"#0969da\" cx=\"%.1f\" cy=\"%.1f\"/>",
			PAD + (x[i] - xmin) / (xmax - xmin) * (PLOT_W - 8 - PAD),
			8 + (ymax - y[i]) / (ymax - ymin) * (PLOT_H - PAD - 8));
	fprintf(f, "</svg></figure>");
}

static void plots(FILE *f, const struct run *r)
{
	double hx[1024], hy[1024], tx[1024], ty[1024];
	size_t nh = 0, nt = 0;
	long long prev = -1;

	for (size_t i = 0; i < r->nmetrics && nh < 1024 && nt < 1024; i++) {
		const struct metric *m = &r->metrics[i];

		if (!strcmp(m->name, "heartbeat")) {
			if (prev >= 0) {
				hx[nh] = (double)m->t_ms / 1000.0;
				hy[nh++] = (double)(m->t_ms - prev);
			}
			prev = m->t_ms;
		} else if (!strcmp(m->name, "timesync")) {
			tx[nt] = (double)m->t_ms / 1000.0;
			ty[nt++] = m->value;
		}
	}
	fprintf(f, "<h2>Over the run</h2><div class=\"plots\">");
	plot(f, "Heartbeat intervals", "s", "ms between requests", hx, hy, nh);
	plot(f, "Time-sync offset per sample", "s", "us from the previous sample's prediction", tx,
	     ty, nt);
	fprintf(f, "</div>");
}

static void option_list(FILE *f, const struct run *r)
{
	char seen[32][32];
	size_t n = 0;

	for (size_t i = 0; i < r->nchecks && n < 32; i++) {
		char layer[32];
		size_t k;

		check_layer(&r->checks[i], layer, sizeof(layer));
		for (k = 0; k < n && strcmp(seen[k], layer); k++)
			;
		if (k < n)
			continue;
		strcpy(seen[n++], layer);
		fprintf(f, "<option>");
		put_xml(f, layer);
		fprintf(f, "</option>");
	}
}

void write_html(FILE *f, const struct run *r)
{
	const char *v = r->verdict ? r->verdict : "NONE";

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>hvprobe: %s</title><style>%s</style><script>%s</script></head><body>\n",
		v, style, script);
	fprintf(f, "<h1>hvprobe: verdict <span id=\"verdict\" class=\"%s\">%s</span></h1>\n", v,
		r->verdict ? r->verdict : "none (the log ends before a verdict)");
	fprintf(f, "<p id=\"counts\">%ld passed, %ld failed, %ld skipped, %ld warnings</p>\n",
		r->passed, r->failed, r->skipped, r->warnings);
	fprintf(f, "<h2>Host</h2><table id=\"host\"><tr><th>CPUID vendor</th><td>");
	put_xml(f, r->vendor ? r->vendor : "(not reported)");
	fprintf(f, "</td></tr><tr><th>VMBus version</th><td>");
	put_xml(f, r->vmbus ? r->vmbus : "(not connected)");
	fprintf(f, "</td></tr><tr><th>Offers</th><td>");
	for (size_t i = 0; i < r->noffers; i++) {
		fprintf(f, "%s%ld ", i ? "<br>" : "", r->offers[i].relid);
		put_xml(f, r->offers[i].name);
		fprintf(f, " <code>");
		put_xml(f, r->offers[i].class);
		fprintf(f, "</code>");
	}
	if (!r->noffers)
		fprintf(f, "(none)");
	fprintf(f, "</td></tr></table>\n");
	plots(f, r);
	fprintf(f, "<h2>Checks</h2><p>Layer <select id=\"layer\" onchange=\"f()\"><option value=\"\">all</option>");
	option_list(f, r);
	fprintf(f, "</select> Result <select id=\"result\" onchange=\"f()\"><option value=\"\">all</option>"
		   "<option>pass</option><option>fail</option><option>skip</option><option>warn</option></select></p>\n");
	fprintf(f, "<table id=\"checks\"><thead><tr><th>#</th><th>check</th><th>result</th><th>reason</th><th>ms</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];
		char layer[32];

		fprintf(f, "<tr class=\"%s\" data-result=\"%s\" data-layer=\"", c->result, c->result);
		put_xml(f, check_layer(c, layer, sizeof(layer)));
		fprintf(f, "\"><td>%ld</td><td>", c->n);
		put_xml(f, c->id);
		fprintf(f, "</td><td class=\"r\">%s</td><td>", c->result);
		put_xml(f, c->reason);
		fprintf(f, "</td><td>%lld</td></tr>\n", c->t_ms);
	}
	fprintf(f, "</tbody></table></body></html>\n");
}
