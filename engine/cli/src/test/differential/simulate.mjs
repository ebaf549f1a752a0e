// Runs one Keyward scenario (world.yaml + requests.jsonl) through @cloud-copilot/iam-simulate and
// prints one line per request: `<id>\t<ALLOW|EXPLICIT_DENY|IMPLICIT_DENY|ERROR>\t<detail>`, using
// iam-simulate's documented entry point runSimulation (Strict mode). runSimulation first drops request
// context keys it does not list for the action; the detail column names them. (runUnsafeSimulation,
// which would skip that step, throws a TypeError whenever a resource policy is given, in 0.1.173.)
//
// iam-simulate is AGPL: this script only imports it from a temporary npm prefix that
// run-iam-simulate.sh creates; nothing of it is bundled or copied into the repository.
//
// Usage (from the folder whose node_modules holds iam-simulate and yaml):
//   node simulate.mjs <scenario-dir>
//
// The conversion mirrors the world-file contract: the caller's identity policies, its permissions
// boundary, the SCPs on its account's path (root, every organizational unit down to the account, the
// account; none for the management account or an account outside every organization), the RCPs on the key
// account's path (none for the management account), the session's policies as one session policy, the
// policy of the VPC endpoint that aws:SourceVpce names, the key policy (AWS's default key policy when the
// world gives none) as the resource policy, and the request context plus the keys Keyward derives itself
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalIsAWSService, aws:PrincipalOrgID, aws:PrincipalOrgPaths,
// aws:PrincipalTag/*
// with session tags winning, aws:PrincipalType, kms:CallerAccount, aws:ResourceAccount, aws:ResourceOrgID,
// aws:ResourceOrgPaths, aws:SourceVpc, aws:SourceIdentity, kms:EncryptionContextKeys). KMS grants have no
// input in iam-simulate and are not passed.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node simulate.mjs <scenario-dir>');
  process.exit(2);
}
const world = parseYaml(readFileSync(join(dir, 'world.yaml'), 'utf8')) ?? {};

function loadPolicy(ref, base) {
  if (!ref) return undefined;
  if (ref.document) return ref.document;
  if (ref.file) return JSON.parse(readFileSync(join(base, ref.file), 'utf8'));
  throw new Error(`policy reference without file or document: ${JSON.stringify(ref)}`);
}

function accountOf(arn) {
  return arn.split(':')[4];
}

/**
 * The IAM identity behind a principal ARN: a role session acts as its role, whatever the role's path; a
 * federated user session has the identity policies of the user its session names (`federatedBy`).
 */
function identityArn(arn, req) {
  if (arn.includes(':federated-user/')) return req?.session?.federatedBy ?? arn;
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (!m) return arn;
  const withPath = (world.principals ?? []).map((p) => p.arn)
    .find((a) => a.startsWith(`arn:${m[1]}:iam::${m[2]}:role/`) && a.endsWith(`/${m[3]}`));
  return withPath ?? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
}

function principalType(arn) {
  if (arn.includes(':assumed-role/')) return 'AssumedRole';
  if (arn.includes(':federated-user/')) return 'FederatedUser';
  if (arn.endsWith(':root')) return 'Account';
  if (arn.includes(':user/')) return 'User';
  if (arn.includes(':role/')) return 'AssumedRole';
  return 'Unknown';
}

// The account root user is not governed by identity policies and holds every permission of its
// account (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html); iam-simulate takes
// identity policies only, so the root user is given one that allows everything.
const ROOT_USER_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }]
};

function isAccountRoot(arn) {
  return /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(arn);
}

function defaultKeyPolicy(account) {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*'
      }
    ]
  };
}

const principals = new Map((world.principals ?? []).map((p) => [p.arn, p]));
const keys = new Map((world.keys ?? []).map((k) => [k.arn, k]));
const orgs = world.organizations ?? [];
const accountScps = new Map((world.accounts ?? []).map((a) => [String(a.id), a.scps ?? []]));

const accountRcps = new Map((world.accounts ?? []).map((a) => [String(a.id), a.rcps ?? []]));

/** The units from the root down to the one listing the account ([] when directly under the root). */
function unitPath(units, account) {
  for (const u of units ?? []) {
    if ((u.accounts ?? []).map(String).includes(account)) return [u];
    const below = unitPath(u.units, account);
    if (below.length > 0) return [u, ...below];
  }
  return [];
}

function orgOf(account) {
  return orgs.find((o) => (o.accounts ?? []).map(String).includes(account) || String(o.managementAccount) === account
    || unitPath(o.units, account).length > 0);
}

function orgPath(account) {
  const org = orgOf(account);
  if (!org || !org.rootId) return undefined;
  return `${org.id}/${org.rootId}/` + unitPath(org.units, account).map((u) => `${u.id}/`).join('');
}

const named = (list) => (list ?? []).map((s, i) => ({ name: s.name ?? `policy-${i}`, policy: loadPolicy(s, dir) }));

/** One level per node from the root down to the account, of the given field (scps or rcps). */
function levelsFor(account, field, accountLevels) {
  const org = orgOf(account);
  if (!org || String(org.managementAccount) === account) return [];
  const levels = [{ orgIdentifier: org.id, policies: named(org[field]) }];
  for (const u of unitPath(org.units, account)) levels.push({ orgIdentifier: u.id, policies: named(u[field]) });
  levels.push({ orgIdentifier: account, policies: accountLevels.has(account) ? named(accountLevels.get(account)) : [] });
  return levels;
}

function scpsFor(account) {
  // Keyward leaves out a level the world lists no SCP for (it does not restrict); iam-simulate would read an
  // empty level as "nothing allowed", so empty levels are dropped here too.
  return levelsFor(account, 'scps', accountScps).filter((l) => l.policies.length > 0);
}

function rcpsFor(account) {
  return levelsFor(account, 'rcps', accountRcps);
}

function endpointOf(req) {
  const entry = Object.entries(req.context ?? {}).find(([k]) => k.toLowerCase() === 'aws:sourcevpce');
  const id = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
  return (world.vpcEndpoints ?? []).find((v) => v.id === id);
}

/** The session's policies as one session policy (iam-simulate takes one). */
function sessionPolicyOf(req) {
  const docs = (req.session?.policies ?? []).map((ref) => loadPolicy(ref, dir));
  if (docs.length === 0 && req.principal.includes(':federated-user/')) {
    // GetFederationToken without a session policy: none of the user's permissions reach the session
    return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalArn': 'no-principal-has-this-arn' } } }] };
  }
  if (docs.length === 0) return undefined;
  const toList = (x) => (Array.isArray(x) ? x : [x]);
  return { Version: '2012-10-17', Statement: docs.flatMap((d) => toList(d.Statement)) };
}

function contextFor(req) {
  const ctx = {};
  for (const [k, v] of Object.entries(req.context ?? {})) ctx[k] = v;
  const principalArn = req.principal;
  if (!principalArn.startsWith('arn:')) {
    // an AWS service principal calls: it has no account or ARN of its own
    ctx['aws:PrincipalIsAWSService'] = 'true';
    ctx['aws:PrincipalServiceName'] = principalArn;
    ctx['aws:ResourceAccount'] = accountOf(req.resource);
    return ctx;
  }
  const idArn = identityArn(principalArn, req);
  const account = accountOf(principalArn);
  const resourceAccount = accountOf(req.resource);
  const ownArn = ['Account', 'FederatedUser'].includes(principalType(principalArn));
  ctx['aws:PrincipalArn'] = ownArn ? principalArn : idArn;
  ctx['aws:PrincipalAccount'] = account;
  ctx['aws:PrincipalType'] = principalType(principalArn);
  // present in every signed request (false unless a service principal calls), as Keyward derives it
  ctx['aws:PrincipalIsAWSService'] = 'false';
  ctx['aws:ResourceAccount'] = resourceAccount;
  if (req.action.toLowerCase().startsWith('kms:')) ctx['kms:CallerAccount'] = account;
  const org = orgOf(account);
  if (org) ctx['aws:PrincipalOrgID'] = org.id;
  if (orgPath(account)) ctx['aws:PrincipalOrgPaths'] = [orgPath(account)];
  const korg = orgOf(resourceAccount);
  if (korg) ctx['aws:ResourceOrgID'] = korg.id;
  if (orgPath(resourceAccount)) ctx['aws:ResourceOrgPaths'] = [orgPath(resourceAccount)];
  const ep = endpointOf(req);
  if (ep?.vpc) ctx['aws:SourceVpc'] = ep.vpc;
  if (req.session?.sourceIdentity) ctx['aws:SourceIdentity'] = req.session.sourceIdentity;
  const p = principals.get(idArn);
  const tags = { ...(p?.tags ?? {}) };
  // the transitive tags of the session's role chain, then its own session tags, win over the role's
  const sessionTags = {};
  for (const link of req.session?.chain ?? []) {
    for (const [k, v] of Object.entries(link.tags ?? {})) {
      if ((link.transitiveTagKeys ?? []).some((t) => t.toLowerCase() === k.toLowerCase())) sessionTags[k] = v;
    }
  }
  Object.assign(sessionTags, req.session?.tags ?? {});
  for (const [k, v] of Object.entries(sessionTags)) {
    for (const old of Object.keys(tags)) if (old.toLowerCase() === k.toLowerCase()) delete tags[old];
    tags[k] = v;
  }
  for (const [k, v] of Object.entries(tags)) ctx[`aws:PrincipalTag/${k}`] = String(v);
  const ecKeys = Object.keys(req.context ?? {})
    .filter((k) => k.toLowerCase().startsWith('kms:encryptioncontext:'))
    .map((k) => k.slice('kms:EncryptionContext:'.length));
  if (ecKeys.length > 0) ctx['kms:EncryptionContextKeys'] = ecKeys;
  return ctx;
}

function verdictOf(result) {
  switch (result) {
    case 'Allowed':
      return 'ALLOW';
    case 'ExplicitlyDenied':
      return 'EXPLICIT_DENY';
    case 'ImplicitlyDenied':
      return 'IMPLICIT_DENY';
    default:
      return `ERROR`;
  }
}

const lines = readFileSync(join(dir, 'requests.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
for (const line of lines) {
  const req = JSON.parse(line);
  const out = (verdict, detail) => console.log(`${req.id}\t${verdict}\t${detail.replace(/\s+/g, ' ')}`);
  try {
    const idArn = identityArn(req.principal, req);
    const p = principals.get(idArn);
    const key = keys.get(req.resource);
    const keyAccount = accountOf(req.resource);
    const resourcePolicy = key ? loadPolicy(key.policy, dir) ?? defaultKeyPolicy(keyAccount) : undefined;
    const simulation = {
      request: {
        principal: req.principal,
        action: req.action,
        resource: { resource: req.resource, accountId: keyAccount },
        contextVariables: contextFor(req)
      },
      identityPolicies: isAccountRoot(req.principal)
        ? [{ name: 'root-user-has-every-permission', policy: ROOT_USER_POLICY }]
        : (p?.policies ?? []).map((ref, i) => ({ name: ref.name ?? `policy-${i}`, policy: loadPolicy(ref, dir) })),
      serviceControlPolicies: scpsFor(accountOf(req.principal)),
      resourceControlPolicies: rcpsFor(keyAccount),
      sessionPolicy: sessionPolicyOf(req),
      vpcEndpointPolicies: endpointOf(req)?.policy
        ? [{ name: endpointOf(req).id, policy: loadPolicy(endpointOf(req).policy, dir) }] : undefined,
      resourcePolicy,
      permissionBoundaryPolicies: p?.boundary ? [{ name: p.boundary.name ?? 'boundary', policy: loadPolicy(p.boundary, dir) }] : undefined
    };
    const res = await runSimulation(simulation, { simulationMode: 'Strict' });
    if (res.resultType === 'error') {
      out('ERROR', res.errors.message + ' ' + JSON.stringify(res.errors));
      continue;
    }
    const ignored = res.resultType === 'single' ? res.result.ignoredContextKeys ?? [] : [];
    out(verdictOf(res.overallResult), ignored.length ? `ignored context keys: ${ignored.join(', ')}` : '');
  } catch (e) {
    out('ERROR', String(e?.message ?? e));
  }
}
