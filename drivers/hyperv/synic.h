/* The synthetic interrupt controller: pages, SINT2, messages, event flags. */
#ifndef HVPROBE_SYNIC_H
#define HVPROBE_SYNIC_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/hyperv/hv_cpuid.h"
#include "drivers/hyperv/hv_regs.h"

/* VMBus and our self-test use SINT 2 (LNX VMBUS_MESSAGE_SINT, OVMM VMBUS_SINT). */
#define SYNIC_SINT 2
/* Our interrupt vector for SINT 2 (MSVM uses 0x41 as well). */
#define SYNIC_VECTOR 0x41

/* A handler for one SynIC message type; @msg was copied out of the slot. */
typedef void (*synic_msg_fn)(const struct hv_message *msg, void *ctx);

/*
 * Program SIMP, SIEFP, SINT2 and SCONTROL and check each (hv.synic.version,
 * hv.synic.pages, hv.synic.sint).  Registers the loop poller.
 */
bool synic_setup(const struct hv_info *hv);

/* Route messages of @type on SINT 2 to @fn (replacing an earlier handler of @type). */
bool synic_on_message(uint32_t type, synic_msg_fn fn, void *ctx);

/* Test and clear event flag @flag of SINT 2 (VMBus: flag = channel relid). */
bool synic_event_test_clear(unsigned flag);

/*
 * hv.synic.message / hv.synic.interrupt: arm synthetic timer 0 in message
 * mode and check that its TimerExpired message arrives, well formed, with
 * an interrupt.  Skipped when the host grants no synthetic timers.
 */
void synic_selftest(const struct hv_info *hv);

/*
 * Program synthetic timer @t of the calling VP: CONFIG cleared, then COUNT
 * and CONFIG (@config), or with @count_last CONFIG before COUNT (AutoEnable
 * arms on the COUNT write).  0, or -1 when an MSR raised #GP.
 */
int synic_stimer_program(unsigned t, uint64_t count, uint64_t config, bool count_last);

/* Test and clear flag @flag of SINT 2 in processor @cpu's event page (0: the BSP's). */
bool synic_event_test_clear_on(unsigned cpu, unsigned flag);

/*
 * vpbus: give every AP that is up a SynIC for VMBus (SIMP, SIEFP, SINT2 on
 * SYNIC_VECTOR, SCONTROL) through a bounded body; how many APs have one.
 * Their interrupts are counted per AP and wake the BSP.
 */
unsigned synic_ap_setup(void);
/* Whether AP @cpu's SynIC takes VMBus events; its VP index in *@vp_index. */
bool synic_ap_ready(unsigned cpu, uint32_t *vp_index);
/* SINT2 interrupts AP @cpu took since synic_ap_setup() (0 for the BSP). */
uint32_t synic_ap_irqs(unsigned cpu);

/* hv.synic.spurious: how many interrupts had neither a message nor a flag. */
void synic_report(void);


#endif
