/*
 * s3_xml.h: the few XML documents the S3 backend reads and writes: error
 * bodies, ListObjectsV2 pages, the upload id of a new multipart upload, the
 * answers of CompleteMultipartUpload and DeleteObjects, and the request
 * bodies of those two calls. Parsing goes through libxml2 (no network, no
 * external entities); elements are matched by local name, so S3's
 * namespace does not matter. Thread-safe.
 */
#ifndef CAIRN_REMOTES_S3_XML_H
#define CAIRN_REMOTES_S3_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "remotes/remote.h"

/* An <Error> document (or one <Error> entry of a DeleteResult). */
struct s3_xml_error {
	char *code;    /* "NoSuchBucket", ... or NULL */
	char *message; /* or NULL */
	char *region;  /* <Region>, the region the server expects, or NULL */
	char *key;     /* <Key> of a DeleteResult entry, or NULL */
};

/* Parse an <Error> document into e; false (e all NULL) when body is not one. */
bool s3_xml_error(struct s3_xml_error *e, const char *body, size_t len);
void s3_xml_error_release(struct s3_xml_error *e);

/*
 * One key of a listing page, decoded, with its <LastModified> in ns since
 * the epoch (REMOTE_MTIME_UNKNOWN when absent or not an ISO 8601 UTC time).
 */
typedef const struct cairn_error *(*s3_xml_key_cb)(const char *key, int64_t mtime_ns, void *arg);
/* An ISO 8601 UTC time ("2026-12-04T18:06:06.123Z") in ns since the epoch, or REMOTE_MTIME_UNKNOWN. */
int64_t s3_xml_time(const char *text);
/*
 * Visit the <Contents><Key> of a ListObjectsV2 page in order; *truncated and
 * *next (the NextContinuationToken, caller frees, NULL when absent) say
 * whether and how to go on. FORMAT when body is not a ListBucketResult.
 */
const struct cairn_error *s3_xml_list(bool *truncated, char **next, const char *body, size_t len,
				      s3_xml_key_cb cb, void *arg);

/* The <UploadId> of an InitiateMultipartUploadResult (caller frees); FORMAT otherwise. */
const struct cairn_error *s3_xml_upload_id(char **id, const char *body, size_t len);

/* True when the document's root element has this local name. */
bool s3_xml_root_is(const char *body, size_t len, const char *name);

/*
 * The <Error> entries of a DeleteResult: their number in *n and the first
 * one in *first (release it). FORMAT when body is not a DeleteResult.
 */
const struct cairn_error *s3_xml_delete_errors(size_t *n, struct s3_xml_error *first,
					       const char *body, size_t len);

/* Append s with the XML special characters escaped. */
void s3_xml_escape(struct buf *b, const char *s);

#endif
