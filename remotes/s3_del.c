/*
 * s3_del.c: deleting objects. A single object is one DELETE; more go in
 * DeleteObjects batches of up to 1,000 keys (quiet mode, so the answer
 * lists only failures), each signed with its body's SHA-256 and carrying
 * the Content-MD5 S3 requires for this call. A missing object counts as
 * deleted, as S3 reports it.
 */
#include "buildconf.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/s3_int.h"
#include "remotes/s3_xml.h"

#define S3_DEL_BATCH 1000

struct s3_dr { /* one DELETE or DeleteObjects request */
	struct net_req req;
	struct s3_remote *s;
	struct remote_item *items;
	size_t n;    /* items[0..n) */
	char *body;  /* DeleteObjects' XML, or NULL for a DELETE */
	char *key;   /* DELETE's key */
};

static const struct cairn_error *s3_dr_setup(struct net_req *r, CURL *easy)
{
	struct s3_dr *d = (struct s3_dr *)r;
	unsigned char md5[EVP_MAX_MD_SIZE], b64[64];
	unsigned int mlen = 0;
	char hex[CAIRN_OID_HEXLEN + 1];
	struct oid id;
	size_t len;

	if (d->body == NULL) {
		s3_request(d->s, r, easy, d->key, NULL, NULL);
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
		return NULL;
	}
	len = strlen(d->body);
	hash_buf(&id, d->body, len);
	oid_tohex(hex, &id);
	if (EVP_Digest(d->body, len, md5, &mlen, EVP_md5(), NULL) != 1)
		return err_new(CAIRN_ERR_FAILED, "cannot compute MD5 (OpenSSL)");
	EVP_EncodeBlock(b64, md5, (int)mlen);
	s3_request(d->s, r, easy, NULL, "delete=", hex);
	s3_header(r, "Content-MD5: %s", (const char *)b64);
	curl_easy_setopt(easy, CURLOPT_POST, 1L);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	return NULL;
}

static void s3_dr_state(struct s3_dr *d, enum remote_item_state st)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		d->items[i].state = st;
}

static const struct cairn_error *s3_dr_done(struct net_req *r)
{
	struct s3_dr *d = (struct s3_dr *)r;
	const struct cairn_error *e;
	struct s3_xml_error first;
	size_t nerr;

	if (r->rc != CURLE_OK || (r->status != 200 && r->status != 204)) {
		if (s3_transient(r) && net_retry(r))
			return NULL;
		s3_dr_state(d, REMOTE_FAILED);
		return s3_fail(d->s, r, "DELETE");
	}
	if (d->body == NULL) {
		s3_dr_state(d, REMOTE_DONE);
		net_progress(r->x, 0, 1);
		return NULL;
	}
	if ((e = s3_xml_delete_errors(&nerr, &first, r->body.s, r->body.len)) != NULL) {
		s3_dr_state(d, REMOTE_FAILED);
		return err_wrap(e, "S3 DELETE in bucket '%s'", d->s->loc.bucket);
	}
	if (nerr == 0) {
		s3_dr_state(d, REMOTE_DONE);
		net_progress(r->x, 0, d->n);
		return NULL;
	}
	s3_dr_state(d, REMOTE_FAILED);
	e = err_new(first.code && strcmp(first.code, "AccessDenied") == 0 ? CAIRN_ERR_AUTH
									   : CAIRN_ERR_REMOTE,
		    "S3 refused to delete %zu object%s in bucket '%s': '%s': %s", nerr,
		    nerr == 1 ? "" : "s", d->s->loc.bucket, first.key ? first.key : "?",
		    first.code ? first.code : "an unknown error");
	s3_xml_error_release(&first);
	return e;
}

const struct cairn_error *s3_del(struct remote *rem, struct remote_item *items, size_t n,
				 const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e;
	size_t nreq = (n + S3_DEL_BATCH - 1) / S3_DEL_BATCH, i, k;
	struct s3_dr *v;
	struct buf body = BUF_INIT;

	if (n == 0)
		return NULL;
	v = xcalloc(nreq, sizeof(*v));
	for (i = 0; i < nreq; i++) {
		struct s3_dr *d = &v[i];

		d->s = s;
		d->items = items + i * S3_DEL_BATCH;
		d->n = n - i * S3_DEL_BATCH < S3_DEL_BATCH ? n - i * S3_DEL_BATCH : S3_DEL_BATCH;
		d->req.setup = s3_dr_setup;
		d->req.done = s3_dr_done;
		s3_dr_state(d, REMOTE_PENDING);
		if (d->n == 1) {
			d->key = s3_key(s, &d->items[0].id);
		} else {
			buf_adds(&body, "<Delete><Quiet>true</Quiet>");
			for (k = 0; k < d->n; k++) {
				char *key = s3_key(s, &d->items[k].id);

				buf_adds(&body, "<Object><Key>");
				s3_xml_escape(&body, key);
				buf_adds(&body, "</Key></Object>");
				free(key);
			}
			buf_adds(&body, "</Delete>");
			d->body = buf_detach(&body);
		}
		net_add(s->x, &d->req);
	}
	e = net_run(s->x, s3_jobs(s, b), b);
	for (i = 0; i < nreq; i++) {
		free(v[i].body);
		free(v[i].key);
		buf_release(&v[i].req.body);
		buf_release(&v[i].req.headers);
	}
	free(v);
	return e;
}
