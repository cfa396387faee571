/*
 * swar: eight bytes at a time.  Scanners skip long runs of plain text by
 * testing a whole 64-bit word for the bytes that end a run, then look at
 * single bytes only in the word that has one.
 */
#ifndef ZIB_CORE_SWAR_H
#define ZIB_CORE_SWAR_H

#include <stdint.h>
#include <string.h>

#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGH UINT64_C(0x8080808080808080)

static inline uint64_t swar_load(const void *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Nonzero when a byte of v is zero. */
static inline uint64_t swar_zero(uint64_t v)
{
	return (v - SWAR_ONES) & ~v & SWAR_HIGH;
}

/* Nonzero when a byte of v equals c. */
static inline uint64_t swar_eq(uint64_t v, unsigned char c)
{
	return swar_zero(v ^ (SWAR_ONES * c));
}

/* Nonzero when a byte of v is below 0x20 or at/above 0x80 (control
 * characters and UTF-8). */
static inline uint64_t swar_ctl_or_high(uint64_t v)
{
	return ((v - SWAR_ONES * 0x20) & ~v & SWAR_HIGH) | (v & SWAR_HIGH);
}

#endif
