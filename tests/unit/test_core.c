/*
 * Unit tests of lib/core: arena, buf, strmap, file I/O, calendar, BOM.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/strmap.h"
#include "core/utf8.h"
#include "harness.h"
#include "zib.h"

TEST(arena, grows_past_first_block)
{
	struct arena a = ARENA_INIT;
	char *first = arena_strdup(&a, "first");
	size_t i;

	for (i = 0; i < 10000; i++) {
		char *p = arena_alloc(&a, 100);
		ASSERT(p != NULL);
		ASSERT(((unsigned long)p % 16) == 0);
		ASSERT_INT_EQ(0, p[99]);
		memset(p, 'x', 100);
	}
	ASSERT_STR_EQ("first", first);
	ASSERT(a.total >= 10000 * 100);
	arena_release(&a);
	ASSERT(a.head == NULL);
}

TEST(arena, printf_and_strndup)
{
	struct arena a = ARENA_INIT;

	ASSERT_STR_EQ("NL-CM:7.3.2", arena_printf(&a, "NL-CM:%d.%d.%d", 7, 3, 2));
	ASSERT_STR_EQ("abc", arena_strndup(&a, "abcdef", 3));
	ASSERT(arena_strdup(&a, NULL) == NULL);
	arena_release(&a);
}

TEST(buf, escapes_json_and_xml)
{
	struct buf b = BUF_INIT;

	buf_json_escape(&b, "a\"b\\c\nd\001");
	ASSERT_STR_EQ("a\\\"b\\\\c\\nd\\u0001", b.data);
	buf_reset(&b);
	buf_xml_escape(&b, "<a & 'b'>");
	ASSERT_STR_EQ("&lt;a &amp; &apos;b&apos;&gt;", b.data);
	buf_release(&b);
}

TEST(buf, printf_grows)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%04d", i);
	ASSERT_INT_EQ(4000, b.len);
	ASSERT(strncmp(b.data + 3996, "0999", 4) == 0);
	s = buf_detach(&b, &len);
	ASSERT_INT_EQ(4000, len);
	ASSERT(b.data == NULL);
	free(s);
}

TEST(strmap, put_get_replace_and_case)
{
	struct strmap m, ci;
	char keys[500][16];
	int i, v[500];

	strmap_init(&m, 0);
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key%d", i);
		v[i] = i;
		ASSERT_INT_EQ(0, strmap_put(&m, keys[i], &v[i]));
	}
	ASSERT_INT_EQ(500, m.count);
	for (i = 0; i < 500; i++)
		ASSERT(strmap_get(&m, keys[i]) == &v[i]);
	ASSERT(strmap_get(&m, "KEY1") == NULL);
	ASSERT(strmap_get(&m, "nope") == NULL);
	strmap_put(&m, keys[7], &v[8]);
	ASSERT(strmap_get(&m, keys[7]) == &v[8]);
	ASSERT_INT_EQ(500, m.count);
	strmap_release(&m);

	strmap_init(&ci, 1);
	strmap_put(&ci, "AlcoholGebruik", &v[1]);
	ASSERT(strmap_get(&ci, "alcoholgebruik") == &v[1]);
	ASSERT(strmap_get(&ci, "ALCOHOLGEBRUIK") == &v[1]);
	strmap_release(&ci);
}

TEST(fileio, read_limit_and_atomic_write)
{
	char dir[] = "/tmp/zibtest-XXXXXX", path[256];
	zib_error err;
	char *data;
	size_t len;
	struct stat st;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	ASSERT_INT_EQ(ZIB_OK, zib_write_file_atomic(path, "hello", 5, 0, &err));
	ASSERT_INT_EQ(ZIB_EEXIST, zib_write_file_atomic(path, "other", 5, 0, &err));
	ASSERT(strstr(err.message, "--force") != NULL);
	ASSERT_INT_EQ(ZIB_OK, zib_read_file(&data, &len, path, 100, &err));
	ASSERT_STR_EQ("hello", data);
	free(data);
	ASSERT_INT_EQ(ZIB_ETOOBIG, zib_read_file(&data, &len, path, 4, &err));
	ASSERT(data == NULL);
	ASSERT_INT_EQ(ZIB_OK, zib_write_file_atomic(path, "replaced", 8, 1, &err));
	ASSERT_INT_EQ(0, stat(path, &st));
	ASSERT_INT_EQ(8, st.st_size);
	ASSERT_INT_EQ(ZIB_EIO, zib_read_file(&data, &len, dir, 100, &err));
	ASSERT(strstr(err.message, "is a directory") != NULL);
	unlink(path);
	ASSERT_INT_EQ(ZIB_EIO, zib_read_file(&data, &len, path, 100, &err));
	ASSERT(strstr(err.message, "cannot open") != NULL);
	rmdir(dir);
}

/* Entries of dir whose name holds ".tmp-" (zib_write_file_atomic's). */
static int count_temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strstr(e->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

static void remove_temps_and_exit(int sig)
{
	(void)sig;
	zib_remove_temp_files();
	_exit(0);
}

TEST(fileio, temp_files_removed_on_signal)
{
	char dir[] = "/tmp/zibtest-XXXXXX", path[256];
	struct timespec pause = { 0, 200000 };
	int i, seen = 0, status;
	pid_t pid;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.bin", dir);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		/* Rewrites an 8 MiB file for ever: a temporary file exists most of the time. */
		size_t n = 8 << 20;
		char *big = calloc(1, n);
		zib_error err;
		signal(SIGTERM, remove_temps_and_exit);
		for (;;)
			if (!big || zib_write_file_atomic(path, big, n, 1, &err) < 0)
				_exit(2);
	}
	for (i = 0; i < 25000 && !seen; i++) {
		seen = count_temp_files(dir) > 0;
		if (!seen)
			nanosleep(&pause, NULL);
	}
	kill(pid, SIGTERM);
	ASSERT(waitpid(pid, &status, 0) == pid);
	ASSERT(seen);
	ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_INT_EQ(0, count_temp_files(dir));
	unlink(path);
	rmdir(dir);
}

TEST(fileio, fifo_refused_not_blocking)
{
	char dir[] = "/tmp/zibtest-XXXXXX", path[256];
	zib_error err;
	char *data = NULL;
	size_t len;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ASSERT_INT_EQ(0, mkfifo(path, 0600));
	/* No writer: a blocking open would hang here. */
	ASSERT_INT_EQ(ZIB_EIO, zib_read_file(&data, &len, path, 100, &err));
	ASSERT(strstr(err.message, "not a regular file") != NULL);
	ASSERT_INT_EQ(ZIB_EIO, zib_read_file(&data, &len, "/dev/zero", 100, &err));
	unlink(path);
	rmdir(dir);
}

TEST(version, macro_matches_library)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", ZIB_VERSION_MAJOR, ZIB_VERSION_MINOR,
		ZIB_VERSION_PATCH);
	ASSERT_STR_EQ(want, zib_version());
	ASSERT_INT_EQ(ZIB_VERSION_NUMBER, zib_version_number());
}

TEST(core, calendar_days_from_civil_and_leap_years)
{
	ASSERT_INT_EQ(0, calendar_days_from_civil(1970, 1, 1));
	ASSERT_INT_EQ(-1, calendar_days_from_civil(1969, 12, 31));
	ASSERT_INT_EQ(18262, calendar_days_from_civil(2020, 1, 1));
	ASSERT_INT_EQ(11016, calendar_days_from_civil(2000, 2, 29));
	ASSERT_INT_EQ(-719528, calendar_days_from_civil(0, 1, 1));
	ASSERT_INT_EQ(29, calendar_days_in_month(2000, 2));
	ASSERT_INT_EQ(28, calendar_days_in_month(1900, 2));
	ASSERT_INT_EQ(29, calendar_days_in_month(2024, 2));
	ASSERT_INT_EQ(31, calendar_days_in_month(2023, 12));
}

TEST(core, calendar_civil_from_days_inverts_days_from_civil)
{
	static const int dates[][3] = {
		{ 1970, 1, 1 }, { 1969, 12, 31 }, { 2000, 2, 29 }, { 1900, 3, 1 },
		{ 2024, 12, 31 }, { 1, 1, 1 }, { 9999, 12, 31 }, { 0, 2, 29 }, { -1, 3, 1 },
	};
	long long d, y;
	int m, day;
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		calendar_civil_from_days(calendar_days_from_civil(dates[i][0], dates[i][1],
			dates[i][2]), &y, &m, &day);
		ASSERT_INT_EQ(dates[i][0], y);
		ASSERT_INT_EQ(dates[i][1], m);
		ASSERT_INT_EQ(dates[i][2], day);
	}
	/* Every day of four centuries round the epoch, one after the other. */
	for (d = -73048; d < 73048; d++) {
		calendar_civil_from_days(d, &y, &m, &day);
		if (calendar_days_from_civil(y, m, day) != d || day < 1 ||
			day > calendar_days_in_month(y, m)) {
			ASSERT_INT_EQ(d, calendar_days_from_civil(y, m, day));
			ASSERT(day >= 1 && day <= calendar_days_in_month(y, m));
		}
	}
}

TEST(core, utf8_bom_only_when_all_three_bytes)
{
	ASSERT_INT_EQ(3, utf8_bom_len("\xEF\xBB\xBF<a/>", 7));
	ASSERT_INT_EQ(0, utf8_bom_len("\xEF\xBB", 2));
	ASSERT_INT_EQ(0, utf8_bom_len("\xEF\xBC\xBF<a/>", 7));
	ASSERT_INT_EQ(0, utf8_bom_len("<a/>", 4));
	ASSERT_INT_EQ(0, utf8_bom_len("", 0));
}
