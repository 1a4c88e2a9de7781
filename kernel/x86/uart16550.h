/* 16550 UART console: COM1, 115200 baud, 8N1, polled. */
#ifndef HVPROBE_UART16550_H
#define HVPROBE_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_COM1 0x3f8

/* Program the UART at @port; false when no UART answers there. */
bool uart_init(uint16_t port);
/* Write @n bytes, turning "\n" into "\r\n". */
void uart_write(const char *s, size_t n);

#endif
