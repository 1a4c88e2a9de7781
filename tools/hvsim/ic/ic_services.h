/*
 * hvsim's KVP, VSS and guest file copy hosts (ic_kvp.c, ic_vss.c,
 * ic_fcopy.c): IC services on the ic_host.c framework, driven as Hyper-V
 * drives them, plus what the scenario asks for.  Scenario keys:
 *
 *   kvp_host = none | KEY=VALUE     the host's identity items pushed into the
 *                                   Auto External pool (repeatable; the first
 *                                   replaces HostName, PhysicalHostName,
 *                                   PhysicalHostNameFullyQualified,
 *                                   VirtualMachineName)
 *   kvp_set = [pool=N] [type=T] KEY=VALUE
 *                                   a SET (External pool unless pool=; T is sz,
 *                                   expand_sz, dword, qword or u64)
 *   kvp_get = [pool=N] KEY          a GET, checked against what was set
 *   kvp_delete = [pool=N] KEY       a DELETE
 *   kvp_enumerate = POOL            a walk of one pool
 *   kvp_ip = get | set              GET_IP_INFO / SET_IP_INFO
 *   kvp_fill = N                    N SETs of new External keys (hvsim.fill.K)
 *   kvp_poll = SECONDS              re-read the Guest pool this often
 *   vss = backup | all [at=SECONDS] a backup (CHECK_HOT_BACKUP, GET_DM_INFO,
 *                                   FREEZE, THAW, BACKUP_COMPLETE; "all" adds
 *                                   CREATE, DELETE, AUTO_RECOVER) at SECONDS
 *                                   after boot (default 5)
 *   fcopy = NAME SIZE [path=P] [overwrite] [cancel=N] [at=SECONDS]
 *                                   Copy-VMFile of SIZE bytes (repeatable, in
 *                                   order; cancel after N fragments)
 * Every step's answer is checked; guest errors go to stderr.
 */
#ifndef HVSIM_IC_SERVICES_H
#define HVSIM_IC_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A scenario key of these hosts: true when handled (exits on a bad value). */
bool sim_ic_services_key(const char *key, char *val);

/* Each host's keys (the same contract). */
bool sim_kvp_key(const char *key, char *val);
bool sim_vss_key(const char *key, char *val);
bool sim_fcopy_key(const char *key, char *val);

/* A bad scenario value: message on stderr, exit status 2. */
__attribute__((noreturn)) void sim_ic_services_error(const char *key, const char *msg, const char *val);

/* UTF-8 @s as UTF-16LE with its terminator at @dst (@cap bytes): the bytes written, -1 if too long. */
int sim_utf16_encode(const char *s, uint8_t *dst, size_t cap);

/*
 * @size bytes of UTF-16LE at @src (terminator included) as UTF-8 into @out
 * (@n bytes), checked as OpenVMM's host checks (even size, NUL last, no
 * lone surrogate); NULL with *@why when malformed.
 */
const char *sim_utf16_decode(const uint8_t *src, uint32_t size, char *out, size_t n, const char **why);

#endif
