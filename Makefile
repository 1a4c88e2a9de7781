# hvprobe — build, ISO, tests.  `make` builds build/hvprobe.efi and
# build/hvprobe.iso; `make test` installs what it needs and runs every test.

CC      ?= gcc
NASM    ?= nasm
LD      ?= ld
OBJCOPY ?= objcopy
B       := build

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CRT := $(EFI_LIB)/crt0-efi-x86_64.o

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2
# Freestanding kernel, -Oz (GCC 12: -Os and smaller still; the image must stay
# within 128 KiB, and hvprobe waits on its host far more than it computes),
# no libc, no red zone (interrupts use the same stack),
# no SSE (the interrupt path saves only general registers), position
# independent (the firmware relocates the image), UEFI's wchar_t.
KCFLAGS := -std=gnu11 -Oz -g $(WARN) -ffunction-sections -fdata-sections -I. -ffreestanding -fno-stack-protector \
           -fno-stack-check -fpic -fvisibility=hidden -fshort-wchar -mno-red-zone \
           -mgeneral-regs-only -fno-asynchronous-unwind-tables \
           -ffile-prefix-map=$(CURDIR)=.
BCFLAGS := $(KCFLAGS) -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI \
           -Wno-strict-prototypes -Wno-missing-prototypes
# -z pack-relative-relocs: the load-address fix-ups as DT_RELR, which
# boot/reloc.c applies (a tenth of the size of gnu-efi's Elf64_Rela table).
KLDFLAGS := -nostdlib -znocombreloc -T linker.ld -shared -Bsymbolic --no-undefined --gc-sections \
            -z pack-relative-relocs

# Portable code: compiled unchanged into the kernel and into hvsim.
PORTABLE_SRC := $(wildcard lib/*.c drivers/*.c drivers/*/*.c) kernel/main.c kernel/loop.c \
                kernel/options.c kernel/panic.c kernel/policy.c
# The machine: x86-64 kernel and the UEFI entry.
X86_SRC  := $(wildcard kernel/x86/*.c)
X86_ASM  := $(wildcard kernel/x86/*.asm)
BOOT_SRC := $(wildcard boot/*.c)

KOBJS := $(patsubst %.c,$(B)/k/%.o,$(PORTABLE_SRC) $(X86_SRC)) \
         $(patsubst %.asm,$(B)/k/%.o,$(X86_ASM)) \
         $(patsubst %.c,$(B)/k/%.o,$(BOOT_SRC))

.PHONY: all efi iso test check unit sim sim-matrix fuzz hvreport clean deps-test
all: $(B)/hvprobe.efi $(B)/hvprobe.iso

efi: $(B)/hvprobe.efi
iso: $(B)/hvprobe.iso

$(B)/k/boot/%.o: boot/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BCFLAGS) -MMD -c $< -o $@

$(B)/k/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -c $< -o $@

$(B)/k/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -o $@ $<

$(B)/hvprobe.so: $(KOBJS) linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(EFI_CRT) $(KOBJS)

# The relocations travel inside .data (linker.ld: boot/reloc.c finds them
# through _DYNAMIC), so the PE has no 512-byte block each for them.
# --strip-all: the COFF symbol table is of no use to the firmware (13 KiB);
# build/hvprobe.so keeps the symbols and debug information for gdb.
$(B)/hvprobe.efi: $(B)/hvprobe.so
	$(OBJCOPY) -j .text -j .reloc -j .data -j .bss \
	  --strip-all --target efi-app-x86_64 --subsystem=10 $< $@

$(B)/hvprobe.iso: $(B)/hvprobe.efi tools/mkiso.sh tools/default.cfg
	tools/mkiso.sh $(B)/hvprobe.efi tools/default.cfg $@

# ---- tests -------------------------------------------------------------

HCFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -fsanitize=address,undefined \
           -fno-sanitize-recover=all
# driver code that is pure logic over memory, tested on the host
UNIT_DRIVERS := drivers/vmbus/ring.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))

# The freestanding string functions, renamed fs_* so a hosted test can call
# them next to libc's.
FS_SYMS := memcpy memset memmove memcmp strlen strcmp strncmp
$(B)/unit/str_fs.o: lib/str.c lib/str.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 $(WARN) -I. -ffreestanding -fno-builtin -fPIE -c $< -o $@.tmp
	$(OBJCOPY) $(foreach s,$(FS_SYMS),--redefine-sym $(s)=fs_$(s)) --strip-symbol=str_copy $@.tmp $@
	@rm -f $@.tmp

$(B)/unit/%: tests/unit/%.c $(wildcard lib/*.c lib/*.h drivers/*/*.c drivers/*/*.h) kernel/loop.c kernel/loop.h $(UNIT_DRIVERS) tests/unit/unit.h tests/unit/stub_cpu.c $(B)/unit/str_fs.o
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -o $@ $< tests/unit/stub_cpu.c $(wildcard lib/*.c) $(UNIT_DRIVERS) $(B)/unit/str_fs.o

unit: $(UNIT_TESTS)

# ---- hvsim: the portable code against the simulated host -----------------

# hvsim mirrors drivers/: main.c and scenario.c (the run) at the top, one directory per area
HVSIM_DIRS := hyperv vmbus ic input balloon storage net
HVSIM_HOST_SRC := tools/hvsim/usage.c $(foreach d,$(HVSIM_DIRS),$(wildcard tools/hvsim/$(d)/*.c))
SIM_SRC := $(PORTABLE_SRC) tools/hvsim/main.c tools/hvsim/scenario.c $(HVSIM_HOST_SRC)
SIM_HDR := $(wildcard kernel/*.h lib/*.h drivers/*/*.h tools/hvsim/*.h tools/hvsim/*.def) \
	$(foreach d,$(HVSIM_DIRS),$(wildcard tools/hvsim/$(d)/*.h))

$(B)/sim/hvprobe-sim: $(SIM_SRC) $(SIM_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -o $@ $(SIM_SRC)

# hvsim's VMBus host self-test: the host's own files (HVSIM_HOST_SRC), no guest drivers
$(B)/hvsim-test/vmbus_selftest: tools/hvsim/test/vmbus_selftest.c $(HVSIM_HOST_SRC) $(SIM_HDR) \
		lib/guid.c lib/pagealloc.c lib/str.c
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -o $@ $< $(HVSIM_HOST_SRC) lib/guid.c lib/pagealloc.c lib/str.c

sim: $(B)/sim/hvprobe-sim $(B)/hvsim-test/vmbus_selftest

# ---- fuzz targets: libFuzzer with ASan and UBSan, clang from Debian ---------

# every tests/fuzz/fuzz_NAME.c is a target; tests/fuzz/seeds_*.c write their seeds
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# The report's formatting runs for every check and finding a target makes;
# built without comparison tracing (its edges still count) it no longer
# dominates the slow targets (BENCHMARKS.md, Fuzzing).
FUZZ_FMT := lib/fmt.c lib/log.c lib/report.c
FUZZ_FMT_OBJS := $(FUZZ_FMT:%.c=$(B)/fuzz/%.o)
.SECONDARY: $(FUZZ_FMT_OBJS)
$(B)/fuzz/lib/%.o: lib/%.c $(SIM_HDR)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fno-sanitize-coverage=trace-cmp -c $< -o $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/stub_cpu.c $(SIM_HDR) $(PORTABLE_SRC) $(FUZZ_FMT_OBJS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< tests/fuzz/stub_cpu.c $(filter-out $(FUZZ_FMT),$(PORTABLE_SRC)) $(FUZZ_FMT_OBJS)

$(B)/fuzz/seeds: tests/fuzz/seeds.c $(wildcard tests/fuzz/seeds_*.c tests/fuzz/*.h) $(SIM_HDR)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 $(WARN) -I. -o $@ tests/fuzz/seeds.c $(wildcard tests/fuzz/seeds_*.c)

fuzz: $(FUZZ_BINS) $(B)/fuzz/seeds

# ---- hvreport: serial log -> results.json, junit.xml, report.html -----------

$(B)/hvreport: $(wildcard tools/hvreport/*.c tools/hvreport/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g $(WARN) -I. -fsanitize=address,undefined \
	  -o $@ $(wildcard tools/hvreport/*.c)

hvreport: $(B)/hvreport

# ---- benchmarks (results in BENCHMARKS.md) -----------------------------------

$(B)/bench/ring: bench/ring.c drivers/vmbus/ring.c $(SIM_HDR)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 $(WARN) -I. -o $@ bench/ring.c drivers/vmbus/ring.c

deps-test:
	@tools/deps.sh test

test: deps-test
	@$(MAKE) --no-print-directory all unit sim fuzz hvreport
	@tests/run

# Everything that needs no virtual machine: unit, sim, docs, fuzz smoke (10000 runs
# a target; make test runs 20000), report.
check: deps-test
	@$(MAKE) --no-print-directory unit sim fuzz hvreport
	@HVPROBE_FUZZ_RUNS=10000 tests/run unit sim docs fuzz report

# The misbehaviour matrix (minutes; not in make test): every misbehaviour under every
# profile and VMBus version, pairs, reply delays at each limit (MATRIX_PAIRS=N samples pairs).
sim-matrix: sim
	@tests/sim/matrix

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
