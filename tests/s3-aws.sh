# tests/s3-aws.sh: source me, then e.g. `s3_aws s3 ls s3://bucket/`.
#
# s3_aws runs Debian's awscli (2.9, found with dpkg; the first `aws` on PATH
# may be something else, such as a pyenv shim for awscli 1.x) against the S3
# server described by CAIRN_TEST_S3_* (`. DIR/env` after tests/s3-server.sh
# start DIR). awscli 2.9 takes no endpoint from its config file, so
# --endpoint-url goes on every call; the config file only asks for path-style
# addressing.

_s3_aws_bin=$(dpkg -L awscli 2>/dev/null | grep '/bin/aws$' | head -n 1)
if [ -z "${CAIRN_TEST_S3_AWS_CONFIG:-}" ]; then
    CAIRN_TEST_S3_AWS_CONFIG=$(mktemp) &&
        printf '[default]\ns3 =\n    addressing_style = path\n' >"$CAIRN_TEST_S3_AWS_CONFIG"
fi

s3_aws() {
    if [ -z "$_s3_aws_bin" ]; then
        echo "s3_aws: Debian's awscli is not installed" >&2
        return 2
    fi
    if [ -z "${CAIRN_TEST_S3_ENDPOINT:-}" ]; then
        echo "s3_aws: CAIRN_TEST_S3_ENDPOINT is not set (source DIR/env)" >&2
        return 2
    fi
    env -u AWS_PROFILE -u AWS_SESSION_TOKEN \
        AWS_CONFIG_FILE="$CAIRN_TEST_S3_AWS_CONFIG" \
        AWS_ACCESS_KEY_ID="$CAIRN_TEST_S3_ACCESS_KEY" \
        AWS_SECRET_ACCESS_KEY="$CAIRN_TEST_S3_SECRET_KEY" \
        AWS_DEFAULT_REGION="${CAIRN_TEST_S3_REGION:-us-east-1}" \
        AWS_PAGER= \
        "$_s3_aws_bin" --endpoint-url "$CAIRN_TEST_S3_ENDPOINT" "$@"
}
