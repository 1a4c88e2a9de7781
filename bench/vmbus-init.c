/*
 * vmbus-init.c — /init of the Linux L2 that bench/nested.sh boots next to
 * hvprobe: loads the modules listed in /modules/order (hv_vmbus last), which
 * makes Linux connect to VMBus and print "hv_vmbus: Vmbus version:N.M", then
 * powers the VM off.  Linked statically: the initramfs holds nothing else.
 *
 * Debian's kernel builds hv_vmbus as a module, so without an initramfs that
 * loads it Linux never reaches VMBus; a shell would need a whole userland.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char name[256], path[300];
	FILE *order = fopen("/modules/order", "r");

	if (!order) {
		perror("vmbus-init: /modules/order");
	} else {
		while (fgets(name, sizeof(name), order)) {
			name[strcspn(name, "\n")] = 0;
			snprintf(path, sizeof(path), "/modules/%s", name);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0)
				perror(path);
			else
				printf("vmbus-init: loaded %s\n", name);
			if (fd >= 0)
				close(fd);
		}
		fclose(order);
	}
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
