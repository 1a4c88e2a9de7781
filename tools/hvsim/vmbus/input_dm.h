/*
 * hvsim's Virtual Machine Connection and Dynamic Memory hosts, the
 * keyboard, mouse and balloon rows of vmbus_dev.c:
 *   input/synth_input.c  the synthetic keyboard and SynthHID mouse
 *                  as Hyper-V drives them: version handshake, the mouse's
 *                  device info and its ACK, then keystrokes and pointer
 *                  reports at the scenario's times
 *   balloon/dm_host.c      a Dynamic Memory host: versions, capabilities,
 *                  status reports read and judged, balloon, unballoon and
 *                  hot-add requests at the scenario's times; it poisons the
 *                  pages it gets and checks them when it gives them back
 * Scenario keys (scenario.c's table hands them to sim_input_dm_key):
 *   key = SECONDS CODE [release] [e0] [e1] [unicode]   one keystroke
 *   pointer = SECONDS X Y BUTTONS                      one input report
 *   balloon = SECONDS PAGES                            BALLOON_REQUEST
 *   unballoon = SECONDS PAGES [skip=K]                 give back PAGES it holds (after K)
 *   hot_add = SECONDS PAGES                            MEM_HOT_ADD_REQUEST
 *   dm_version = 2.0|1.0|0.3                           the newest version accepted
 *   dm_status_reports = 1|0                            0: ask the guest for none
 *                                                      (QEMU without status-report=on)
 *   dm_hot_remove = 0|1                                1: announce hot-remove (QEMU)
 */
#ifndef HVSIM_INPUT_DM_H
#define HVSIM_INPUT_DM_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/hvsim/vmbus/vmbus.h"

/* A scenario line for these hosts: 1 handled, 0 not ours (exits on a bad value). */
int sim_input_dm_key(const char *key, char *val);
/* The same for the DM host's keys (balloon/dm_host.c). */
int sim_dm_key(const char *key, char *val);
/* "2.5" seconds as ns; a number up to @max (decimal or 0x).  Both exit on a bad value. */
uint64_t sim_seconds(const char *key, const char *s);
unsigned long sim_number(const char *key, const char *s, unsigned long max);

void sim_kbd_open(struct sim_channel *ch);
void sim_kbd_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		    uint32_t len);
void sim_kbd_close(struct sim_channel *ch);
void sim_kbd_report(const struct sim_channel *ch);

void sim_mouse_open(struct sim_channel *ch);
void sim_mouse_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		      uint32_t len);
void sim_mouse_close(struct sim_channel *ch);
void sim_mouse_report(const struct sim_channel *ch);

void sim_dm_open(struct sim_channel *ch);
void sim_dm_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		   uint32_t len);
void sim_dm_close(struct sim_channel *ch);
void sim_dm_report(const struct sim_channel *ch);

/* The hooks of each row in vmbus_dev.c. */
#define SIM_KEYBOARD_HOST .on_open = sim_kbd_open, .on_packet = sim_kbd_packet, \
	.on_close = sim_kbd_close, .report = sim_kbd_report
#define SIM_MOUSE_HOST .on_open = sim_mouse_open, .on_packet = sim_mouse_packet, \
	.on_close = sim_mouse_close, .report = sim_mouse_report
#define SIM_DM_HOST .on_open = sim_dm_open, .on_packet = sim_dm_packet, .on_close = sim_dm_close, \
	.report = sim_dm_report

#endif
