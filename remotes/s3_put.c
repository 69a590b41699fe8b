/*
 * s3_put.c: uploads. An object up to the multipart threshold (and never
 * above 5 GiB) goes up in one PUT signed with its id as the payload hash,
 * so S3 itself refuses bytes that do not match the name. A larger one goes
 * up in parts: each part is hashed just before it is sent (the hash is its
 * signed payload hash), the parts are hashed in order into the whole
 * object's hash as well, and the upload is completed only when that equals
 * the object's id; a HEAD then confirms the size. Until completion the
 * object is invisible under its name; an upload that fails or is cancelled
 * is aborted, so no part is left behind. A fixed pool of `jobs` workers
 * does the requests: parts of uploads already begun first, new objects
 * after.
 */
#include "buildconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/hash.h"
#include "core/xmalloc.h"
#include "remotes/s3_int.h"
#include "remotes/s3_xml.h"

#define S3_HASH_BUF (1u << 20)

struct s3_mpu { /* one multipart upload */
	struct s3_mpu *next;
	size_t item;
	int fd;
	uint64_t size, chunk;
	unsigned nparts, handed, done_parts, hashed;
	char *key, *upload_id;
	char **etag;                      /* per part, as S3 sent it */
	char (*sha)[CAIRN_OID_HEXLEN + 1]; /* per part */
	struct hash_ctx whole;
	bool completed;
	struct net_req abort;
};

enum s3_step { S3_PUT, S3_INIT, S3_PART, S3_COMPLETE, S3_VERIFY };

struct s3_pb;

struct s3_pw { /* a worker */
	struct net_req req;
	struct s3_pb *pb;
	enum s3_step step;
	size_t item; /* S3_PUT */
	int fd;      /* S3_PUT: the cached object, or -1 */
	uint64_t size;
	struct s3_mpu *mpu;
	unsigned part;
	char *body;  /* S3_COMPLETE */
};

struct s3_pb { /* the batch */
	struct s3_remote *s;
	struct cache *c;
	struct remote_item *items;
	size_t n, next;
	struct s3_mpu *mpus, **mpu_tail;
	struct s3_mpu *scan; /* the first upload that may have parts left to hand out */
	struct s3_pw **idle;
	size_t nidle;
	unsigned char *buf;
};

/* ---- choosing work ---- */

static const struct cairn_error *s3_mpu_new(struct s3_pb *pb, size_t item, int fd,
					    uint64_t size, struct s3_mpu **out)
{
	struct s3_remote *s = pb->s;
	struct s3_mpu *m;
	uint64_t chunk = s->chunk, min = (size + S3_PARTS_MAX - 1) / S3_PARTS_MAX;

	if (min > chunk)
		chunk = (min + S3_MiB - 1) / S3_MiB * S3_MiB;
	if (chunk > S3_PART_MAX)
		return err_new(CAIRN_ERR_REMOTE, "object '%s' is too large for S3 (%llu bytes)",
			       oid_hex(&pb->items[item].id), (unsigned long long)size);
	m = xcalloc(1, sizeof(*m));
	m->item = item;
	m->fd = fd;
	m->size = size;
	m->chunk = chunk;
	m->nparts = (unsigned)((size + chunk - 1) / chunk);
	m->key = s3_key(s, &pb->items[item].id);
	m->etag = xcalloc(m->nparts, sizeof(*m->etag));
	m->sha = xcalloc(m->nparts, sizeof(*m->sha));
	hash_init(&m->whole);
	*pb->mpu_tail = m;
	pb->mpu_tail = &m->next;
	if (pb->scan == NULL)
		pb->scan = m;
	*out = m;
	return NULL;
}

/* Give w its next request and queue it; *busy false when there is nothing to do. */
static const struct cairn_error *s3_pw_assign(struct s3_pw *w, bool *busy)
{
	struct s3_pb *pb = w->pb;
	const struct cairn_error *e;
	struct s3_mpu *m;
	uint64_t size;
	size_t i;
	int fd;

	*busy = true;
	w->req.attempt = 0;
	w->req.count_bytes = false;
	while (pb->scan && pb->scan->handed == pb->scan->nparts)
		pb->scan = pb->scan->next; /* parts are handed out oldest upload first */
	for (m = pb->scan; m; m = m->next) {
		if (m->upload_id && !m->completed && m->handed < m->nparts) {
			w->step = S3_PART;
			w->mpu = m;
			w->part = m->handed++;
			w->req.count_bytes = true;
			net_add(pb->s->x, &w->req);
			return NULL;
		}
	}
	if (pb->next >= pb->n) {
		*busy = false;
		return NULL;
	}
	i = pb->next++;
	pb->items[i].state = REMOTE_PENDING;
	if ((e = cache_open_object(&fd, &size, pb->c, &pb->items[i].id)) != NULL) {
		pb->items[i].state = REMOTE_FAILED;
		return err_wrap(e, "cannot upload '%s'", oid_hex(&pb->items[i].id));
	}
	if (size > pb->s->threshold || size > pb->s->max_put) {
		if ((e = s3_mpu_new(pb, i, fd, size, &m)) != NULL) {
			close(fd);
			pb->items[i].state = REMOTE_FAILED;
			return e;
		}
		w->step = S3_INIT;
		w->mpu = m;
	} else {
		w->step = S3_PUT;
		w->item = i;
		w->fd = fd;
		w->size = size;
		w->req.count_bytes = true;
	}
	net_add(pb->s->x, &w->req);
	return NULL;
}

/* w finished a step: give it the next one, or let it idle. */
static const struct cairn_error *s3_pw_next(struct s3_pw *w)
{
	const struct cairn_error *e;
	bool busy;

	if ((e = s3_pw_assign(w, &busy)) != NULL)
		return e;
	if (!busy)
		w->pb->idle[w->pb->nidle++] = w;
	return NULL;
}

/* New parts can be sent: wake idle workers. */
static const struct cairn_error *s3_pb_kick(struct s3_pb *pb)
{
	const struct cairn_error *e;
	bool busy = true;

	while (pb->nidle > 0 && busy) {
		struct s3_pw *w = pb->idle[--pb->nidle];

		if ((e = s3_pw_assign(w, &busy)) != NULL)
			return e;
		if (!busy)
			pb->idle[pb->nidle++] = w;
	}
	return NULL;
}

/* ---- hashing the parts ---- */

/* Hash every part up to part, in order, into its own hash and the whole object's. */
static const struct cairn_error *s3_mpu_hash_to(struct s3_pb *pb, struct s3_mpu *m,
						unsigned part)
{
	struct hash_ctx h;
	struct oid id;

	while (m->hashed <= part) {
		uint64_t off = (uint64_t)m->hashed * m->chunk, left = m->size - off;

		if (left > m->chunk)
			left = m->chunk;
		hash_init(&h);
		while (left > 0) {
			size_t want = left < S3_HASH_BUF ? (size_t)left : S3_HASH_BUF;
			ssize_t got = pread(m->fd, pb->buf, want, (off_t)off);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				hash_release(&h);
				return got < 0 ? err_errno("cannot read cached object '%s'",
							   oid_hex(&pb->items[m->item].id))
					       : err_new(CAIRN_ERR_CORRUPT,
							 "cached object '%s' is shorter than it was",
							 oid_hex(&pb->items[m->item].id));
			}
			hash_update(&h, pb->buf, (size_t)got);
			hash_update(&m->whole, pb->buf, (size_t)got);
			off += (uint64_t)got;
			left -= (uint64_t)got;
		}
		hash_final(&h, &id);
		hash_release(&h);
		oid_tohex(m->sha[m->hashed], &id);
		if (++m->hashed == m->nparts) {
			hash_final(&m->whole, &id);
			if (!oid_equal(&id, &pb->items[m->item].id))
				return err_hint(err_new(CAIRN_ERR_CORRUPT,
							"cached object '%s' does not match its name",
							oid_hex(&pb->items[m->item].id)),
						"its upload was aborted; fetch a good copy or re-add "
						"the file");
		}
	}
	return NULL;
}

/* ---- requests ---- */

static char *s3_pw_complete_body(const struct s3_mpu *m)
{
	struct buf b = BUF_INIT;
	unsigned i;

	buf_adds(&b, "<CompleteMultipartUpload>");
	for (i = 0; i < m->nparts; i++) {
		buf_addf(&b, "<Part><PartNumber>%u</PartNumber><ETag>", i + 1);
		s3_xml_escape(&b, m->etag[i]);
		buf_adds(&b, "</ETag></Part>");
	}
	buf_adds(&b, "</CompleteMultipartUpload>");
	return buf_detach(&b);
}

static char *s3_upload_query(const char *upload_id, unsigned part)
{
	struct s3_query q = S3_QUERY_INIT;
	char n[16], *s;

	if (part) {
		snprintf(n, sizeof(n), "%u", part);
		s3_query_add(&q, "partNumber", n);
	}
	s3_query_add(&q, "uploadId", upload_id);
	s = s3_query_build(&q);
	s3_query_release(&q);
	return s;
}

static const struct cairn_error *s3_pw_setup(struct net_req *r, CURL *easy)
{
	struct s3_pw *w = (struct s3_pw *)r;
	struct s3_pb *pb = w->pb;
	struct s3_remote *s = pb->s;
	struct s3_mpu *m = w->mpu;
	const struct cairn_error *e;
	char hex[CAIRN_OID_HEXLEN + 1], *key, *q;
	struct oid id;
	uint64_t off, len;

	switch (w->step) {
	case S3_PUT:
		oid_tohex(hex, &pb->items[w->item].id);
		key = s3_key(s, &pb->items[w->item].id);
		s3_request(s, r, easy, key, NULL, hex);
		free(key);
		if (s->sse)
			s3_header(r, "x-amz-server-side-encryption: %s", s->sse);
		net_upload_fd(r, easy, w->fd, 0, w->size);
		return NULL;
	case S3_INIT:
		s3_request(s, r, easy, m->key, "uploads=", NULL);
		if (s->sse)
			s3_header(r, "x-amz-server-side-encryption: %s", s->sse);
		curl_easy_setopt(easy, CURLOPT_POST, 1L);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		return NULL;
	case S3_PART:
		if ((e = s3_mpu_hash_to(pb, m, w->part)) != NULL)
			return e;
		off = (uint64_t)w->part * m->chunk;
		len = m->size - off < m->chunk ? m->size - off : m->chunk;
		q = s3_upload_query(m->upload_id, w->part + 1);
		s3_request(s, r, easy, m->key, q, m->sha[w->part]);
		free(q);
		net_upload_fd(r, easy, m->fd, off, len);
		return NULL;
	case S3_COMPLETE:
		if (w->body == NULL)
			w->body = s3_pw_complete_body(m);
		hash_buf(&id, w->body, strlen(w->body));
		oid_tohex(hex, &id);
		q = s3_upload_query(m->upload_id, 0);
		s3_request(s, r, easy, m->key, q, hex);
		free(q);
		curl_easy_setopt(easy, CURLOPT_POST, 1L);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, w->body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(w->body));
		return NULL;
	case S3_VERIFY:
		s3_request(s, r, easy, m->key, NULL, NULL);
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
		return NULL;
	}
	return NULL;
}

/* An object is up: mark it and let go of its file. */
static void s3_pw_object_done(struct s3_pw *w, size_t item, int *fd)
{
	w->pb->items[item].state = REMOTE_DONE;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	net_progress(w->pb->s->x, 0, 1);
}

static const struct cairn_error *s3_pw_failed(struct s3_pw *w, size_t item, const char *op)
{
	struct net_req *r = &w->req;
	char *code;
	const struct cairn_error *e;

	if (s3_transient(r) && net_retry(r))
		return NULL;
	w->pb->items[item].state = REMOTE_FAILED;
	code = s3_answer_code(r);
	if (code && (strcmp(code, "BadDigest") == 0 ||
		     strcmp(code, "XAmzContentSHA256Mismatch") == 0)) {
		e = err_hint(err_new(CAIRN_ERR_CORRUPT,
				     "cached object '%s' does not match its name (S3 answered %s)",
				     oid_hex(&w->pb->items[item].id), code),
			     "fetch a good copy or re-add the file");
		free(code);
		return e;
	}
	free(code);
	return s3_fail(w->pb->s, r, op);
}

static const struct cairn_error *s3_pw_done(struct net_req *r)
{
	struct s3_pw *w = (struct s3_pw *)r;
	struct s3_pb *pb = w->pb;
	struct s3_mpu *m = w->mpu;
	const struct cairn_error *e;
	bool ok = r->rc == CURLE_OK && r->status == 200;
	char *code, *len;

	switch (w->step) {
	case S3_PUT:
		if (!ok)
			return s3_pw_failed(w, w->item, "PUT");
		s3_pw_object_done(w, w->item, &w->fd);
		break;
	case S3_INIT:
		if (!ok)
			return s3_pw_failed(w, m->item, "PUT (starting a multipart upload)");
		if ((e = s3_xml_upload_id(&m->upload_id, r->body.s, r->body.len)) != NULL)
			return err_wrap(e, "S3 bucket '%s'", pb->s->loc.bucket);
		if ((e = s3_pb_kick(pb)) != NULL)
			return e;
		break;
	case S3_PART:
		if (!ok)
			return s3_pw_failed(w, m->item, "PUT (a part of a multipart upload)");
		if ((m->etag[w->part] = net_header(r, "ETag")) == NULL)
			return err_new(CAIRN_ERR_REMOTE,
				       "S3 bucket '%s' sent no ETag for part %u of '%s'",
				       pb->s->loc.bucket, w->part + 1, oid_hex(&pb->items[m->item].id));
		if (++m->done_parts == m->nparts) {
			w->step = S3_COMPLETE;
			r->attempt = 0;
			r->count_bytes = false;
			net_add_front(r->x, r);
			return NULL;
		}
		break;
	case S3_COMPLETE:
		/* A 200 may still carry an <Error>: S3 failed after it began to answer. */
		if (!ok || !s3_xml_root_is(r->body.s, r->body.len, "CompleteMultipartUploadResult")) {
			bool gone;

			code = s3_answer_code(r);
			/* NoSuchUpload on a retry: the lost answer may have been a success */
			gone = code && strcmp(code, "NoSuchUpload") == 0 && r->attempt > 0;
			free(code);
			if (!gone)
				return s3_pw_failed(w, m->item, "PUT (completing a multipart upload)");
		}
		m->completed = true; /* the HEAD below confirms it */
		free(w->body);
		w->body = NULL;
		w->step = S3_VERIFY;
		r->attempt = 0;
		net_add_front(r->x, r);
		return NULL;
	case S3_VERIFY:
		if (!ok)
			return s3_pw_failed(w, m->item, "HEAD (after a multipart upload)");
		len = net_header(r, "Content-Length");
		if (len == NULL || strtoull(len, NULL, 10) != m->size) {
			e = err_new(CAIRN_ERR_REMOTE,
				    "S3 bucket '%s' holds %s bytes for '%s' after its upload, not %llu",
				    pb->s->loc.bucket, len ? len : "an unknown number of",
				    oid_hex(&pb->items[m->item].id), (unsigned long long)m->size);
			free(len);
			pb->items[m->item].state = REMOTE_FAILED;
			return e;
		}
		free(len);
		s3_pw_object_done(w, m->item, &m->fd);
		break;
	}
	return s3_pw_next(w);
}

/* ---- aborting unfinished uploads ---- */

struct s3_abort {
	struct net_req req;
	struct s3_remote *s;
	struct s3_mpu *m;
	bool ok;
	bool once; /* after an interrupt: one short try, the user is waiting */
};

static const struct cairn_error *s3_abort_setup(struct net_req *r, CURL *easy)
{
	struct s3_abort *a = (struct s3_abort *)r;
	char *q = s3_upload_query(a->m->upload_id, 0);

	s3_request(a->s, r, easy, a->m->key, q, NULL);
	free(q);
	curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(easy, CURLOPT_TIMEOUT, 10L); /* a small request; do not hang on a dead link */
	return NULL;
}

static const struct cairn_error *s3_abort_done(struct net_req *r)
{
	struct s3_abort *a = (struct s3_abort *)r;
	char *code = s3_answer_code(r);

	a->ok = r->rc == CURLE_OK && (r->status == 204 || r->status == 200 ||
				      (code && strcmp(code, "NoSuchUpload") == 0));
	free(code);
	if (!a->ok && !a->once && s3_transient(r))
		net_retry(r);
	return NULL;
}

/* Abort every upload begun but not completed; the hint names any left behind. */
static const struct cairn_error *s3_pb_abort(struct s3_pb *pb, int jobs,
					     const struct cairn_error *e)
{
	struct remote_batch ab;
	struct s3_abort *v;
	struct s3_mpu *m;
	size_t n = 0, i, left = 0;
	struct err_copy saved;

	for (m = pb->mpus; m; m = m->next)
		n += m->upload_id && !m->completed;
	if (n == 0)
		return e;
	err_save(&saved, e);
	v = xcalloc(n, sizeof(*v));
	for (i = 0, m = pb->mpus; m; m = m->next) {
		if (!m->upload_id || m->completed)
			continue;
		v[i].s = pb->s;
		v[i].m = m;
		v[i].req.setup = s3_abort_setup;
		v[i].req.done = s3_abort_done;
		v[i].once = err_is(e, CAIRN_ERR_CANCELLED);
		net_add(pb->s->x, &v[i++].req);
	}
	memset(&ab, 0, sizeof(ab)); /* no cancel: an interrupted push still cleans up */
	net_run(pb->s->x, jobs, &ab);
	for (i = 0; i < n; i++) {
		left += !v[i].ok;
		buf_release(&v[i].req.body);
		buf_release(&v[i].req.headers);
	}
	free(v);
	e = err_load(&saved);
	if (left)
		e = err_hint(e, "%zu unfinished multipart upload%s could not be aborted (they hold "
				"no object; an AbortIncompleteMultipartUpload lifecycle rule removes them)",
			     left, left == 1 ? "" : "s");
	return e;
}

/* ---- the batch ---- */

const struct cairn_error *s3_put(struct remote *rem, struct cache *c, struct remote_item *items,
				 size_t n, const struct remote_batch *b)
{
	struct s3_remote *s = (struct s3_remote *)rem;
	const struct cairn_error *e;
	struct s3_pb pb;
	struct s3_pw *ws;
	struct s3_mpu *m, *next;
	int jobs = s3_jobs(s, b), i;
	size_t k;

	if (n == 0)
		return NULL;
	memset(&pb, 0, sizeof(pb));
	pb.s = s;
	pb.c = c;
	pb.items = items;
	pb.n = n;
	pb.mpu_tail = &pb.mpus;
	pb.buf = xmalloc(S3_HASH_BUF);
	for (k = 0; k < n; k++)
		items[k].state = REMOTE_PENDING;
	ws = xcalloc((size_t)jobs, sizeof(*ws));
	pb.idle = xcalloc((size_t)jobs, sizeof(*pb.idle));
	for (i = jobs - 1; i >= 0; i--) {
		ws[i].pb = &pb;
		ws[i].fd = -1;
		ws[i].req.setup = s3_pw_setup;
		ws[i].req.done = s3_pw_done;
		pb.idle[pb.nidle++] = &ws[i];
	}
	if ((e = s3_pb_kick(&pb)) != NULL)
		net_drop(s->x);
	else
		e = net_run(s->x, jobs, b);
	if (e)
		e = s3_pb_abort(&pb, jobs, e);
	for (i = 0; i < jobs; i++) {
		if (ws[i].fd >= 0)
			close(ws[i].fd);
		free(ws[i].body);
		buf_release(&ws[i].req.body);
		buf_release(&ws[i].req.headers);
	}
	for (m = pb.mpus; m; m = next) {
		next = m->next;
		if (m->fd >= 0)
			close(m->fd);
		for (k = 0; k < m->nparts; k++)
			free(m->etag[k]);
		free(m->etag);
		free(m->sha);
		free(m->key);
		free(m->upload_id);
		hash_release(&m->whole);
		free(m);
	}
	free(ws);
	free(pb.idle);
	free(pb.buf);
	return e;
}
