/* The guest's exit statuses, as told to the outside (isa-debug-exit, process exit). */
#ifndef HVPROBE_EXIT_STATUS_H
#define HVPROBE_EXIT_STATUS_H

enum exit_status {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,
	EXIT_NO_HYPERV = 2,
};

#endif
