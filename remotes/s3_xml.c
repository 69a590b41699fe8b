/*
 * s3_xml.c: S3's XML answers read through libxml2's tree API. Documents
 * are parsed with XML_PARSE_NONET and without entity substitution or DTD
 * loading, so a hostile server gets no file or network access through
 * them; only the five predefined entities and character references are
 * decoded, as XML requires.
 */
#include "buildconf.h"

#include "remotes/s3_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xmalloc.h"

#define S3_XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* libxml2's messages: none (core and remotes never print). */
static void s3_xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDoc *s3_xml_parse(const char *body, size_t len)
{
	if (body == NULL || len == 0 || len > INT_MAX)
		return NULL;
	/*
	 * XML_PARSE_NOERROR does not cover encoding and I/O errors, which
	 * libxml2 prints through its generic handler (per thread):
	 * "encoding error : input conversion failed ..." on stderr
	 */
	xmlSetGenericErrorFunc(NULL, s3_xml_quiet);
	return xmlReadMemory(body, (int)len, "s3.xml", NULL, S3_XML_OPTS);
}

static bool s3_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *s3_xml_child(xmlNode *n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (s3_xml_is(n, name))
			return n;
	return NULL;
}

/* The text of n's child called name, as a malloc'd string, or NULL. */
static char *s3_xml_text(xmlNode *n, const char *name)
{
	xmlNode *c = s3_xml_child(n, name);
	xmlChar *t;
	char *s;

	if (c == NULL || (t = xmlNodeGetContent(c)) == NULL)
		return NULL;
	s = xstrdup((const char *)t);
	xmlFree(t);
	return s;
}

static void s3_xml_error_fill(struct s3_xml_error *e, xmlNode *n)
{
	e->code = s3_xml_text(n, "Code");
	e->message = s3_xml_text(n, "Message");
	e->region = s3_xml_text(n, "Region");
	e->key = s3_xml_text(n, "Key");
}

bool s3_xml_error(struct s3_xml_error *e, const char *body, size_t len)
{
	xmlDoc *d = s3_xml_parse(body, len);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
	bool is = s3_xml_is(root, "Error");

	memset(e, 0, sizeof(*e));
	if (is)
		s3_xml_error_fill(e, root);
	xmlFreeDoc(d);
	return is;
}

void s3_xml_error_release(struct s3_xml_error *e)
{
	if (e == NULL)
		return;
	free(e->code);
	free(e->message);
	free(e->region);
	free(e->key);
	memset(e, 0, sizeof(*e));
}

int64_t s3_xml_time(const char *text)
{
	struct tm tm;
	int64_t ns = 0, scale = 100000000;
	const char *p;
	time_t t;
	int n = 0;

	if (text == NULL)
		return REMOTE_MTIME_UNKNOWN;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
		return REMOTE_MTIME_UNKNOWN;
	p = text + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			ns += (*p - '0') * scale;
	if (strcmp(p, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 ||
	    tm.tm_year < 1970)
		return REMOTE_MTIME_UNKNOWN;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	/* past 2262 the nanoseconds do not fit: as good as no time */
	if ((t = timegm(&tm)) == (time_t)-1 || t > INT64_MAX / 1000000000 - 1)
		return REMOTE_MTIME_UNKNOWN;
	return (int64_t)t * 1000000000 + ns;
}

const struct cairn_error *s3_xml_list(bool *truncated, char **next, const char *body, size_t len,
				      s3_xml_key_cb cb, void *arg)
{
	const struct cairn_error *e = NULL;
	xmlDoc *d = s3_xml_parse(body, len);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL, *n;
	char *t;

	*truncated = false;
	*next = NULL;
	if (!s3_xml_is(root, "ListBucketResult")) {
		xmlFreeDoc(d);
		return err_new(CAIRN_ERR_FORMAT, "the listing is not a ListBucketResult document");
	}
	for (n = root->children; n && e == NULL; n = n->next) {
		char *when;

		if (!s3_xml_is(n, "Contents") || (t = s3_xml_text(n, "Key")) == NULL)
			continue;
		when = s3_xml_text(n, "LastModified");
		e = cb(t, s3_xml_time(when), arg);
		free(when);
		free(t);
	}
	if (e == NULL) {
		t = s3_xml_text(root, "IsTruncated");
		*truncated = t && strcmp(t, "true") == 0;
		free(t);
		*next = s3_xml_text(root, "NextContinuationToken");
		if (*truncated && (*next == NULL || **next == '\0'))
			e = err_new(CAIRN_ERR_FORMAT,
				    "a truncated listing without a NextContinuationToken");
	}
	if (e) {
		free(*next);
		*next = NULL;
	}
	xmlFreeDoc(d);
	return e;
}

const struct cairn_error *s3_xml_upload_id(char **id, const char *body, size_t len)
{
	xmlDoc *d = s3_xml_parse(body, len);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;

	*id = NULL;
	if (s3_xml_is(root, "InitiateMultipartUploadResult"))
		*id = s3_xml_text(root, "UploadId");
	xmlFreeDoc(d);
	if (*id == NULL || **id == '\0') {
		free(*id);
		*id = NULL;
		return err_new(CAIRN_ERR_FORMAT, "no UploadId in the answer to a new multipart upload");
	}
	return NULL;
}

bool s3_xml_root_is(const char *body, size_t len, const char *name)
{
	xmlDoc *d = s3_xml_parse(body, len);
	bool is = d && s3_xml_is(xmlDocGetRootElement(d), name);

	xmlFreeDoc(d);
	return is;
}

const struct cairn_error *s3_xml_delete_errors(size_t *n, struct s3_xml_error *first,
					       const char *body, size_t len)
{
	xmlDoc *d = s3_xml_parse(body, len);
	xmlNode *root = d ? xmlDocGetRootElement(d) : NULL, *c;

	*n = 0;
	memset(first, 0, sizeof(*first));
	if (!s3_xml_is(root, "DeleteResult")) {
		xmlFreeDoc(d);
		return err_new(CAIRN_ERR_FORMAT, "the answer to a delete is not a DeleteResult");
	}
	for (c = root->children; c; c = c->next) {
		if (!s3_xml_is(c, "Error"))
			continue;
		if ((*n)++ == 0)
			s3_xml_error_fill(first, c);
	}
	xmlFreeDoc(d);
	return NULL;
}

void s3_xml_escape(struct buf *b, const char *s)
{
	xmlChar *t = xmlEncodeSpecialChars(NULL, (const xmlChar *)s);

	if (t == NULL)
		xmalloc((size_t)-1); /* out of memory: exits */
	buf_adds(b, (const char *)t);
	xmlFree(t);
}
