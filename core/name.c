/*
 * name.c: validation of stored names and symlink targets. These checks run
 * at add time and again before checkout writes anything, because pointers
 * and manifests from a cloned repository are untrusted input.
 */
#include "buildconf.h"

#include "core/name.h"

#include <string.h>
#include <strings.h>

bool name_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		unsigned int cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + n >= len)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

const char *name_check(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return "empty name";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "'.' or '..' is not a name";
	if (memchr(name, '/', len))
		return "name contains '/'";
	if (!name_utf8_valid(name, len))
		return "name is not valid UTF-8";
	if (strcasecmp(name, ".git") == 0)
		return "'.git' cannot be tracked";
	return NULL;
}

const char *name_check_link_target(const char *target, int depth)
{
	const char *p = target, *end;

	if (*target == '\0')
		return "empty symlink target";
	if (*target == '/')
		return "absolute symlink target";
	if (!name_utf8_valid(target, strlen(target)))
		return "symlink target is not valid UTF-8";
	while (*p) {
		size_t n;

		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return "symlink target leaves the tracked folder";
		} else if (n == 4 && strncasecmp(p, ".git", 4) == 0) {
			return "symlink target enters '.git'";
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}
