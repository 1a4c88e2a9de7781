/* Unit tests of lib/sha256.c: the FIPS 180-2 / NIST example vectors. */
#include "lib/sha256.h"

#include "tests/unit/unit.h"

/* The digest of @s as hex. */
static const char *hex_of(const char *s, char hex[SHA256_HEX])
{
	return sha256_hex(s, strlen(s), hex);
}

static void test_abc(void)
{
	char hex[SHA256_HEX];

	EXPECT_STR(hex_of("abc", hex), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_empty(void)
{
	char hex[SHA256_HEX];

	EXPECT_STR(hex_of("", hex), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_448_bits(void)
{
	char hex[SHA256_HEX];

	EXPECT_STR(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex),
		   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void)
{
	char hex[SHA256_HEX];

	EXPECT_STR(hex_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
			  hex),
		   "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* A million 'a', fed in uneven pieces (the block boundary falls inside them). */
static void test_million_a(void)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static char a[1000000];
	struct sha256 s;
	uint8_t d[SHA256_DIGEST];
	char hex[SHA256_HEX];
	size_t done = 0, step = 1;

	memset(a, 'a', sizeof(a));
	EXPECT_STR(sha256_hex(a, sizeof(a), hex), want);
	sha256_init(&s);
	while (done < sizeof(a)) {
		size_t n = step < sizeof(a) - done ? step : sizeof(a) - done;

		sha256_update(&s, a + done, n);
		done += n;
		step = step * 3 % 997 + 1;
	}
	sha256_final(&s, d);
	for (unsigned i = 0; i < SHA256_DIGEST; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	EXPECT_STR(hex, want);
}

struct unit_test unit_tests[] = {
	{ "sha256.abc", test_abc },
	{ "sha256.empty", test_empty },
	{ "sha256.448_bits", test_448_bits },
	{ "sha256.896_bits", test_896_bits },
	{ "sha256.million_a", test_million_a },
	{ NULL, NULL },
};

UNIT_MAIN
