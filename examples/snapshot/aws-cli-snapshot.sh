#!/usr/bin/env bash
# Writes, with the AWS CLI and jq only, the folder that `keyward snapshot` writes: one file per call family,
# each holding what the AWS CLI prints for that call. Files that hold one call per resource are JSON objects
# keyed by the resource's id (key id, bucket name, image id, parent id, policy id).
#
#   examples/snapshot/aws-cli-snapshot.sh OUT REGION...
#
# Credentials and the account come from the AWS CLI's usual settings (AWS_PROFILE and so on). Set
# SNAPSHOT_ENDPOINT_URL to send every call to an AWS-compatible endpoint instead. Unlike `keyward snapshot`,
# this script stops at the first refused call instead of recording it as a gap.
set -euo pipefail
out=${1:?usage: aws-cli-snapshot.sh OUT REGION...}
shift
[ $# -gt 0 ] || { echo "name at least one Region" >&2; exit 2; }
endpoint=()
if [ -n "${SNAPSHOT_ENDPOINT_URL:-}" ]; then endpoint=(--endpoint-url "$SNAPSHOT_ENDPOINT_URL"); fi
awsj() { aws "${endpoint[@]}" --output json "$@"; }
# keyed FILE ID JSON: adds {ID: JSON} to FILE (created as {} first)
keyed() { jq --arg id "$2" --argjson v "$3" '. + {($id): $v}' "$1" > "$1.tmp" && mv "$1.tmp" "$1"; }
# absent: runs the call, printing nothing when AWS answers that the thing does not exist
absent() { local o; if o=$("$@" 2>/tmp/aws-cli-snapshot.err); then echo "$o"; else
  grep -qE 'NotFound|NoSuchBucketPolicy|ReplicationConfigurationNotFoundError|ServerSideEncryptionConfigurationNotFoundError' \
    /tmp/aws-cli-snapshot.err || { cat /tmp/aws-cli-snapshot.err >&2; return 1; }; fi; }

mkdir -p "$out/sts" "$out/iam" "$out/s3"
awsj sts get-caller-identity > "$out/sts/get-caller-identity.json"
account=$(jq -r .Account "$out/sts/get-caller-identity.json")
awsj iam get-account-authorization-details > "$out/iam/get-account-authorization-details.json"

# Organizations: the structure only from the management account
if org=$(awsj organizations describe-organization 2>/dev/null); then
  mkdir -p "$out/organizations"; o="$out/organizations"
  echo "$org" > "$o/describe-organization.json"
  if [ "$(jq -r .Organization.MasterAccountId <<<"$org")" = "$account" ]; then
    awsj organizations list-roots > "$o/list-roots.json"
    for f in list-organizational-units-for-parent list-accounts-for-parent list-policies describe-policy \
        list-targets-for-policy; do echo '{}' > "$o/$f.json"; done
    queue=($(jq -r '.Roots[].Id' "$o/list-roots.json"))
    while [ ${#queue[@]} -gt 0 ]; do
      parent=${queue[0]}; queue=("${queue[@]:1}")
      units=$(awsj organizations list-organizational-units-for-parent --parent-id "$parent")
      keyed "$o/list-organizational-units-for-parent.json" "$parent" "$units"
      queue+=($(jq -r '.OrganizationalUnits[].Id' <<<"$units"))
      keyed "$o/list-accounts-for-parent.json" "$parent" \
        "$(awsj organizations list-accounts-for-parent --parent-id "$parent")"
    done
    for filter in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
      policies=$(awsj organizations list-policies --filter "$filter" 2>/dev/null) || continue
      keyed "$o/list-policies.json" "$filter" "$policies"
      for id in $(jq -r '.Policies[].Id' <<<"$policies"); do
        keyed "$o/describe-policy.json" "$id" "$(awsj organizations describe-policy --policy-id "$id")"
        keyed "$o/list-targets-for-policy.json" "$id" "$(awsj organizations list-targets-for-policy --policy-id "$id")"
      done
    done
  fi
fi

# S3: the account's buckets (a global list) and, per bucket, its Region, encryption, policy and replication
s="$out/s3"
awsj s3api list-buckets > "$s/list-buckets.json"
for f in get-bucket-location get-bucket-encryption get-bucket-policy get-bucket-replication; do
  echo '{}' > "$s/$f.json"
done
for b in $(jq -r '.Buckets[].Name' "$s/list-buckets.json"); do
  keyed "$s/get-bucket-location.json" "$b" "$(awsj s3api get-bucket-location --bucket "$b")"
  for f in get-bucket-encryption get-bucket-policy get-bucket-replication; do
    answer=$(absent awsj s3api "$f" --bucket "$b")
    if [ -n "$answer" ]; then keyed "$s/$f.json" "$b" "$answer"; fi
  done
done

# Per Region: KMS keys with their configuration, policy, grants, rotation and tags; AMIs and snapshots
for region in "$@"; do
  k="$out/regions/$region/kms"; e="$out/regions/$region/ec2"
  mkdir -p "$k" "$e"
  awsj --region "$region" kms list-keys > "$k/list-keys.json"
  awsj --region "$region" kms list-aliases > "$k/list-aliases.json"
  for f in describe-key get-key-policy list-grants get-key-rotation-status list-resource-tags; do
    echo '{}' > "$k/$f.json"
  done
  for id in $(jq -r '.Keys[].KeyId' "$k/list-keys.json"); do
    keyed "$k/describe-key.json" "$id" "$(awsj --region "$region" kms describe-key --key-id "$id")"
    keyed "$k/get-key-policy.json" "$id" \
      "$(awsj --region "$region" kms get-key-policy --key-id "$id" --policy-name default)"
    keyed "$k/list-grants.json" "$id" "$(awsj --region "$region" kms list-grants --key-id "$id")"
    # rotation and tags exist only for customer managed keys of some specs
    if r=$(awsj --region "$region" kms get-key-rotation-status --key-id "$id" 2>/dev/null); then
      keyed "$k/get-key-rotation-status.json" "$id" "$r"
    fi
    if t=$(awsj --region "$region" kms list-resource-tags --key-id "$id" 2>/dev/null); then
      keyed "$k/list-resource-tags.json" "$id" "$t"
    fi
  done
  awsj --region "$region" ec2 describe-images --owners self > "$e/describe-images.json"
  echo '{}' > "$e/describe-image-attribute.json"
  for id in $(jq -r '.Images[].ImageId' "$e/describe-images.json"); do
    keyed "$e/describe-image-attribute.json" "$id" \
      "$(awsj --region "$region" ec2 describe-image-attribute --image-id "$id" --attribute launchPermission)"
  done
  awsj --region "$region" ec2 describe-snapshots --owner-ids self > "$e/describe-snapshots.json"
done
echo "wrote $out"
