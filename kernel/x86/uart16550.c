/* 16550 UART driver, the machine's console (register layout: National Semiconductor PC16550D data sheet). */
#include "kernel/x86/uart16550.h"

#include "kernel/cpu.h"

/* register offsets from the base port */
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_SCR 7 /* scratch */

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_THRE 0x20   /* transmit holding register empty */
#define MCR_DTR_RTS 0x03
#define FCR_ENABLE_CLEAR 0x07
#define UART_CLOCK 115200 /* divisor 1 = 115200 baud */

/* Bounded wait for THRE: a missing or stuck UART must not hang the guest. */
#define UART_TX_SPINS 100000

static uint16_t base;

bool uart_init(uint16_t port)
{
	/* the scratch register holds a value only when a UART is there */
	cpu_outb(port + UART_SCR, 0x5a);
	if (cpu_inb(port + UART_SCR) != 0x5a)
		return false;
	cpu_outb(port + UART_IER, 0x00);
	cpu_outb(port + UART_LCR, LCR_DLAB);
	cpu_outb(port + UART_DLL, UART_CLOCK / 115200);
	cpu_outb(port + UART_DLM, 0);
	cpu_outb(port + UART_LCR, LCR_8N1);
	cpu_outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	cpu_outb(port + UART_MCR, MCR_DTR_RTS);
	base = port;
	return true;
}

static void put(char c)
{
	for (int i = 0; i < UART_TX_SPINS; i++)
		if (cpu_inb(base + UART_LSR) & LSR_THRE)
			break;
	cpu_outb(base + UART_THR, (uint8_t)c);
}

void uart_write(const char *s, size_t n)
{
	if (!base)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
