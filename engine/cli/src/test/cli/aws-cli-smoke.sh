#!/usr/bin/env bash
# Drives `keyward serve` with the real AWS CLI: create a key, encrypt, decrypt, a denied decrypt, rotate,
# decrypt the old ciphertext. Run by AwsCliSmokeTest (mvn verify) when `aws` is on PATH, with
#   JAVA=<java binary> KEYWARD_CLASSPATH=<classpath> WORLD=<engine/kms/src/test/resources/serve/world.yaml>
# Exits non-zero, naming the failed step, when anything differs.
set -euo pipefail

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "aws-cli-smoke: FAILED: $*" >&2; exit 1; }

"$JAVA" -cp "$KEYWARD_CLASSPATH" dev.keyward.cli.Main serve --world "$WORLD" --store "$work/store" --port 0 \
  >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || fail "keyward serve exited: $(cat "$work/err")"
  sleep 0.1
done
endpoint="$(grep -o 'http://[^ ]*' "$work/out" | head -n 1)"
[ -n "$endpoint" ] || fail "keyward serve did not print its endpoint"
echo "aws-cli-smoke: keyward serve at $endpoint"

export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
as_dev()    { AWS_ACCESS_KEY_ID=AKIADEVUSER00000001 AWS_SECRET_ACCESS_KEY=dev-secret aws --endpoint-url "$endpoint" "$@"; }
as_intern() { AWS_ACCESS_KEY_ID=AKIAINTERN000000001 AWS_SECRET_ACCESS_KEY=intern-secret aws --endpoint-url "$endpoint" "$@"; }

# 1. create a key
key_arn="$(as_dev kms create-key --description "cli smoke" --query KeyMetadata.Arn --output text)"
[[ "$key_arn" == arn:aws:kms:us-east-1:111111111111:key/* ]] || fail "create-key returned \`$key_arn\`"
echo "aws-cli-smoke: created $key_arn"

# 2. encrypt
printf 'hello from the aws cli' >"$work/plain"
as_dev kms encrypt --key-id "$key_arn" --plaintext "fileb://$work/plain" --encryption-context purpose=smoke \
  --query CiphertextBlob --output text | base64 -d >"$work/ct1"
[ -s "$work/ct1" ] || fail "encrypt returned no ciphertext"

# 3. decrypt
as_dev kms decrypt --ciphertext-blob "fileb://$work/ct1" --encryption-context purpose=smoke \
  --query Plaintext --output text | base64 -d >"$work/out1"
cmp -s "$work/plain" "$work/out1" || fail "decrypt did not return the plaintext"
got_key="$(as_dev kms decrypt --ciphertext-blob "fileb://$work/ct1" --encryption-context purpose=smoke \
  --query KeyId --output text)"
[ "$got_key" = "$key_arn" ] || fail "decrypt named \`$got_key\`, not the key ARN"

# 4. a denied decrypt: the intern's IAM allows kms:*, but the key policy does not trust account 222222222222
if as_intern kms decrypt --ciphertext-blob "fileb://$work/ct1" --encryption-context purpose=smoke \
    >"$work/denied.out" 2>"$work/denied.err"; then
  fail "the intern's decrypt was allowed"
fi
grep -q "AccessDeniedException" "$work/denied.err" || fail "denied decrypt said: $(cat "$work/denied.err")"
echo "aws-cli-smoke: denied as expected: $(tr -d '\n' <"$work/denied.err" | cut -c1-160)"

# 5. rotate, then 6. decrypt the old ciphertext and a new one
as_dev kms rotate-key-on-demand --key-id "$key_arn" >/dev/null
rotations="$(as_dev kms list-key-rotations --key-id "$key_arn" --query 'length(Rotations)' --output text)"
[ "$rotations" = 1 ] || fail "list-key-rotations shows $rotations rotations, not 1"
as_dev kms decrypt --ciphertext-blob "fileb://$work/ct1" --encryption-context purpose=smoke \
  --query Plaintext --output text | base64 -d >"$work/out2"
cmp -s "$work/plain" "$work/out2" || fail "the old ciphertext did not decrypt after rotation"
as_dev kms encrypt --key-id "$key_arn" --plaintext "fileb://$work/plain" --query CiphertextBlob --output text \
  | base64 -d >"$work/ct2"
cmp -s "$work/ct1" "$work/ct2" && fail "the ciphertexts before and after rotation are equal"
as_dev kms decrypt --ciphertext-blob "fileb://$work/ct2" --query Plaintext --output text | base64 -d >"$work/out3"
cmp -s "$work/plain" "$work/out3" || fail "the new ciphertext did not decrypt"

echo "aws-cli-smoke: ok"
