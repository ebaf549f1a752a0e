#!/usr/bin/env python3
"""Seeds a running moto_server with three accounts' worth of IAM, KMS, Organizations, S3 and EC2, and
prints what it made as one JSON object (account ids, key ARNs, image ids) for the test to compare against.

Usage: seed_moto.py ENDPOINT_URL
Only boto3 and a moto_server at ENDPOINT_URL are needed; every call goes to that endpoint.
"""
import json
import sys

import boto3

URL = sys.argv[1]
REGION = "us-east-1"
MANAGEMENT = "123456789012"  # moto's default account


def session(account):
    """Credentials for `account`: moto maps credentials from sts:AssumeRole to the role's account."""
    if account == MANAGEMENT:
        return dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")
    sts = boto3.client("sts", endpoint_url=URL, region_name=REGION, aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                       aws_secret_access_key="secret")
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                        RoleSessionName="seed")["Credentials"]
    return dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                aws_session_token=c["SessionToken"])


def client(service, account):
    return boto3.client(service, endpoint_url=URL, region_name=REGION, **session(account))


def doc(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


out = {"management": MANAGEMENT}

# ---- the organization: root, Prod OU with a nested Payments OU, two member accounts, SCPs ----
org = client("organizations", MANAGEMENT)
org.create_organization(FeatureSet="ALL")
root = org.list_roots()["Roots"][0]["Id"]
org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
prod = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
payments = org.create_organizational_unit(ParentId=prod, Name="Payments")["OrganizationalUnit"]["Id"]
workloads = org.create_account(Email="workloads@example.com", AccountName="workloads")["CreateAccountStatus"]["AccountId"]
data = org.create_account(Email="data@example.com", AccountName="data")["CreateAccountStatus"]["AccountId"]
org.move_account(AccountId=workloads, SourceParentId=root, DestinationParentId=payments)
org.move_account(AccountId=data, SourceParentId=root, DestinationParentId=prod)
deny_delete = org.create_policy(Name="deny-key-deletion", Type="SERVICE_CONTROL_POLICY",
                                Description="no key deletion",
                                Content=doc([{"Sid": "NoDeletion", "Effect": "Deny",
                                              "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]))
org.attach_policy(PolicyId=deny_delete["Policy"]["PolicySummary"]["Id"], TargetId=prod)
no_grants = org.create_policy(Name="no-grants", Type="SERVICE_CONTROL_POLICY", Description="no grants",
                              Content=doc([{"Sid": "NoGrants", "Effect": "Deny", "Action": "kms:CreateGrant",
                                            "Resource": "*"}]))
org.attach_policy(PolicyId=no_grants["Policy"]["PolicySummary"]["Id"], TargetId=workloads)
out.update(workloads=workloads, data=data, root=root, prod=prod, payments=payments,
           organization=org.describe_organization()["Organization"]["Id"])

# ---- the data account: the finance key, shared with the workloads account ----
kms_b = client("kms", data)
finance_policy = doc([
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{data}:root"}, "Action": "kms:*",
     "Resource": "*"},
    {"Sid": "EtlDecrypts", "Effect": "Allow",
     "Principal": {"AWS": f"arn:aws:iam::{workloads}:role/service-role/etl"},
     "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"},
    {"Sid": "NoDeleteByAnyone", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion",
     "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{data}:role/admin"}}},
])
finance = kms_b.create_key(Policy=finance_policy, Description="finance")["KeyMetadata"]
kms_b.create_alias(AliasName="alias/finance", TargetKeyId=finance["KeyId"])
kms_b.enable_key_rotation(KeyId=finance["KeyId"])
kms_b.create_grant(KeyId=finance["KeyId"], GranteePrincipal=f"arn:aws:iam::{workloads}:role/app",
                   Operations=["Decrypt", "GenerateDataKey"], Name="app-reads",
                   Constraints={"EncryptionContextSubset": {"Dept": "Finance"}})
replica_dst = kms_b.create_key(Description="replica destination")["KeyMetadata"]
out.update(finance_key=finance["Arn"], replica_key=replica_dst["Arn"])

iam_b = client("iam", data)
iam_b.create_role(RoleName="admin", AssumeRolePolicyDocument=doc([]))
iam_b.put_role_policy(RoleName="admin", PolicyName="all-kms",
                      PolicyDocument=doc([{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]))

s3_b = client("s3", data)
s3_b.create_bucket(Bucket="keyward-dst-bucket")
s3_b.put_bucket_versioning(Bucket="keyward-dst-bucket", VersioningConfiguration={"Status": "Enabled"})
s3_b.put_bucket_encryption(Bucket="keyward-dst-bucket", ServerSideEncryptionConfiguration={"Rules": [
    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": replica_dst["Arn"]},
     "BucketKeyEnabled": True}]})

# ---- the workloads account: roles with paths, users in a group, a custom managed policy, a key ----
iam_a = client("iam", workloads)
iam_a.create_role(RoleName="etl", Path="/service-role/", AssumeRolePolicyDocument=doc([]))
iam_a.put_role_policy(RoleName="etl", PolicyName="decrypt-finance", PolicyDocument=doc([
    {"Sid": "UseFinance", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"],
     "Resource": finance["Arn"]}]))
key_users = iam_a.create_policy(PolicyName="KeyUsers", Path="/", PolicyDocument=doc([
    {"Sid": "OldVersion", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]))["Policy"]["Arn"]
iam_a.create_policy_version(PolicyArn=key_users, SetAsDefault=True, PolicyDocument=doc([
    {"Sid": "Use", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"],
     "Resource": "*"}]))
iam_a.create_role(RoleName="app", Path="/", AssumeRolePolicyDocument=doc([]),
                  Tags=[{"Key": "Team", "Value": "payments"}])
iam_a.attach_role_policy(RoleName="app", PolicyArn=key_users)
iam_a.create_role(RoleName="replication", Path="/service-role/", AssumeRolePolicyDocument=doc([]))
iam_a.put_role_policy(RoleName="replication", PolicyName="replicate", PolicyDocument=doc([
    {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:ReplicateObject",
                                   "s3:ReplicateDelete", "s3:ReplicateTags", "s3:GetObjectVersionAcl",
                                   "s3:ListBucket", "s3:GetReplicationConfiguration"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*"}]))
iam_a.create_group(GroupName="devs")
iam_a.put_group_policy(GroupName="devs", PolicyName="describe", PolicyDocument=doc([
    {"Sid": "Describe", "Effect": "Allow", "Action": ["kms:DescribeKey", "kms:Decrypt"], "Resource": "*"}]))
iam_a.create_user(UserName="alice", Path="/engineering/")
iam_a.add_user_to_group(GroupName="devs", UserName="alice")

kms_a = client("kms", workloads)
local_policy = doc([
    {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{workloads}:root"},
     "Action": "kms:*", "Resource": "*"}])
local = kms_a.create_key(Policy=local_policy, Description="workloads")["KeyMetadata"]
kms_a.create_alias(AliasName="alias/workloads", TargetKeyId=local["KeyId"])
out.update(local_key=local["Arn"])

s3_a = client("s3", workloads)
s3_a.create_bucket(Bucket="keyward-src-bucket")
s3_a.put_bucket_versioning(Bucket="keyward-src-bucket", VersioningConfiguration={"Status": "Enabled"})
s3_a.put_bucket_encryption(Bucket="keyward-src-bucket", ServerSideEncryptionConfiguration={"Rules": [
    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": local["Arn"]},
     "BucketKeyEnabled": True}]})
s3_a.put_bucket_replication(Bucket="keyward-src-bucket", ReplicationConfiguration={
    "Role": f"arn:aws:iam::{workloads}:role/service-role/replication",
    "Rules": [{"ID": "everything", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
               "DeleteMarkerReplication": {"Status": "Disabled"},
               "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
               "Destination": {"Bucket": "arn:aws:s3:::keyward-dst-bucket", "Account": data,
                               "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_dst["Arn"]}}}]})
s3_a.put_bucket_policy(Bucket="keyward-src-bucket", Policy=doc([
    {"Sid": "OnlyTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": "arn:aws:s3:::keyward-src-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]))

ec2_a = client("ec2", workloads)
volume = ec2_a.create_volume(AvailabilityZone="us-east-1a", Size=8, Encrypted=True, KmsKeyId=local["Arn"])
snap = ec2_a.create_snapshot(VolumeId=volume["VolumeId"], Description="root")
image = ec2_a.register_image(Name="app-image", RootDeviceName="/dev/xvda", VirtualizationType="hvm",
                             Architecture="x86_64", BlockDeviceMappings=[
                                 {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snap["SnapshotId"]}}])
ec2_a.modify_image_attribute(ImageId=image["ImageId"], LaunchPermission={"Add": [{"UserId": data}]})
# moto registers an AMI with a snapshot of its own (unencrypted), whatever the mappings say
image_snapshot = ec2_a.describe_images(ImageIds=[image["ImageId"]])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
out.update(image=image["ImageId"], image_snapshot=image_snapshot)

json.dump(out, sys.stdout)
