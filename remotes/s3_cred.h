/*
 * s3_cred.h: the AWS credential chain of the S3 backend. In order: keys
 * set in cairn's configuration; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN; a profile (the remote's profile setting, else
 * AWS_PROFILE, else "default") of the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) and then of the config
 * file (AWS_CONFIG_FILE, ~/.aws/config), both read with libinih. A secret
 * never appears in an error message. Reads the environment; thread-safe
 * as long as nobody changes it meanwhile.
 */
#ifndef CAIRN_REMOTES_S3_CRED_H
#define CAIRN_REMOTES_S3_CRED_H

#include "core/error.h"

/* What the remote's configuration says (any field may be NULL). */
struct s3_cred_conf {
	const char *remote;        /* remote name, for messages */
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;
	const char *profile;
};

struct s3_cred {
	char *access_key_id;
	char *secret_access_key;
	char *session_token; /* or NULL */
	char *region;        /* the profile's region setting, or NULL */
	char *source;        /* where the keys came from, for messages ("profile 'x' of FILE") */
};

/*
 * Resolve the chain into out (release with s3_cred_release). AUTH when no
 * link of the chain has keys, when only half of a key pair is set, or
 * when a profile that was asked for by name does not exist; FORMAT when a
 * key holds characters no signature can carry.
 */
const struct cairn_error *s3_cred_resolve(struct s3_cred *out, const struct s3_cred_conf *conf);
void s3_cred_release(struct s3_cred *c);

#endif
