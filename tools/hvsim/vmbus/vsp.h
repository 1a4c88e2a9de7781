/*
 * hvsim's synthetic storage and network hosts, the scsi and nic rows of
 * vmbus_dev.c (docs/STORAGE-NETWORK.md):
 *   storage/storvsp.c  a SCSI controller with a 1 MiB disk at LUN 0 and a DVD
 *              holding an ISO 9660 volume descriptor at LUN 1
 *   net/netvsp.c   a network adapter: NVSP, RNDIS, sends completed, a few
 *              frames received, link status
 * Both answer the way OpenVMM's storvsp and netvsp do, and break one rule
 * each for the storage_* / rndis_* / link_* misbehaviours.
 */
#ifndef HVSIM_VSP_H
#define HVSIM_VSP_H

#include "tools/hvsim/vmbus/vmbus.h"

void sim_storvsp_open(struct sim_channel *ch);
void sim_storvsp_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
			uint32_t len);
void sim_storvsp_close(struct sim_channel *ch);
void sim_storvsp_report(const struct sim_channel *ch);

void sim_netvsp_open(struct sim_channel *ch);
void sim_netvsp_packet(struct sim_channel *ch, const struct vmbus_packet *pkt, const void *payload,
		       uint32_t len);
void sim_netvsp_close(struct sim_channel *ch);
void sim_netvsp_report(const struct sim_channel *ch);

/*
 * The guest pages of the one GPA-direct range of @pkt (a type 9 packet as
 * the core delivers it, ranges after the descriptor): *@pfns, *@npages,
 * its byte offset and count.  0, or -1 when the packet carries anything
 * but one valid range (storage/storvsp.c).
 */
int sim_gpa_range(const struct vmbus_packet *pkt, const uint64_t **pfns, uint32_t *npages,
		  uint32_t *offset, uint32_t *count);
/* Copy between a guest page list and @buf: @to_guest, @n bytes at byte @off of the pages. */
int sim_pages_copy(const uint64_t *pfns, uint32_t npages, uint32_t off, void *buf, uint32_t n,
		   bool to_guest);

#endif
