package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.request.Request;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Algebraic properties of the authorizer and its agreement with {@link ReferenceAuthorizer}, on random
 * worlds over a small vocabulary ({@link RandomWorlds}). Each try builds one world and checks a batch of
 * requests against it.
 */
class AuthorizerProperties {

  private static final int REQUESTS_PER_WORLD = 25;

  @Property(tries = 150)
  void fastAuthorizer_agreesWithReference(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Authorizer fast = Authorizer.create(w);
    ReferenceAuthorizer ref = new ReferenceAuthorizer(w);
    for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
      Request r = g.request();
      assertThat(fast.authorize(r).verdict()).as("seed %d request %s", seed, r).isEqualTo(ref.authorize(r));
    }
  }

  /**
   * An authorizer brought up to date after a change (keys that are the same objects keep their compiled form)
   * decides every request as one compiled from scratch, also after several changes in a row and in symbolic
   * mode, whose atom ids must stay unique.
   */
  @Property(tries = 60)
  void updatedAuthorizer_decidesAsOneCompiledFromScratch(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    Random r = new Random(seed);
    World w = g.world();
    Authorizer a = Authorizer.create(w);
    for (int change = 0; change < 3; change++) {
      List<KmsKey> keys = new ArrayList<>();
      for (KmsKey k : w.keys()) {
        int roll = r.nextInt(4);
        if (roll == 0) {
          continue; // the key is gone
        }
        keys.add(roll == 1 ? new KmsKey(k.arn(), withStatement(k.policy(), denyAll(), r.nextInt(3)), k.defaultPolicy(),
            k.grants(), k.metadata(), k.source()) : k); // a changed policy, or the very same key
      }
      w = new World(w.name(), w.organizations(), w.accounts(), w.principals(), keys,
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
      a = Authorizer.update(a, w);
      Authorizer fresh = Authorizer.create(w);
      for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
        Request q = g.request();
        Decision d = a.authorize(q);
        Decision e = fresh.authorize(q);
        assertThat(d.verdict()).as("seed %d change %d request %s", seed, change, q).isEqualTo(e.verdict());
        assertThat(d.reasons()).as("seed %d change %d request %s", seed, change, q).isEqualTo(e.reasons());
        assertThat(a.authorizeSymbolic(q, java.util.Set.of("*")).outcome())
            .isEqualTo(fresh.authorizeSymbolic(q, java.util.Set.of("*")).outcome());
      }
    }
  }

  private static Statement denyAll() {
    return new Statement(99, "DenyAll", Effect.DENY, new PrincipalElement(false, true, List.of(), SourceRef.none()),
        new ActionElement(false, List.of(Located.of("*")), SourceRef.none()),
        new ResourceElement(false, List.of(Located.of("*")), SourceRef.none()), List.of(), SourceRef.none());
  }

  @Property(tries = 60)
  void explicitDeny_alwaysWins(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    World denied = mapKeyPolicies(w, p -> withStatement(p, denyAll(), 0));
    Authorizer a = Authorizer.create(denied);
    for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
      Request r = g.request();
      if (r.resource().equals("*")) {
        continue; // no key policy takes part in actions on "*" (CreateKey, ListKeys)
      }
      Decision d = a.authorize(r);
      assertThat(d.verdict()).as("seed %d request %s", seed, r).isEqualTo(Verdict.EXPLICIT_DENY);
      assertThat(d.reasons()).anySatisfy(x -> assertThat(x.statement()).isEqualTo("DenyAll"));
    }
  }

  @Property(tries = 60)
  void statementAndPolicyOrder_doNotMatter(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Random shuffle = new Random(seed ^ 0x5DEECE66DL);
    World shuffled = shuffle(w, shuffle);
    Authorizer a = Authorizer.create(w);
    Authorizer b = Authorizer.create(shuffled);
    for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
      Request r = g.request();
      assertThat(b.authorize(r).verdict()).as("seed %d request %s", seed, r).isEqualTo(a.authorize(r).verdict());
    }
  }

  @Property(tries = 60)
  void addingAllow_neverTurnsAllowIntoDeny(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Authorizer before = Authorizer.create(w);
    World after = addStatement(w, g, Effect.ALLOW);
    Authorizer a = Authorizer.create(after);
    for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
      Request r = g.request();
      if (before.authorize(r).verdict() == Verdict.ALLOW) {
        assertThat(a.authorize(r).verdict()).as("seed %d request %s", seed, r).isEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Property(tries = 60)
  void addingDeny_neverTurnsDenyIntoAllow(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Authorizer before = Authorizer.create(w);
    World after = addStatement(w, g, Effect.DENY);
    Authorizer a = Authorizer.create(after);
    for (int i = 0; i < REQUESTS_PER_WORLD; i++) {
      Request r = g.request();
      if (before.authorize(r).verdict() != Verdict.ALLOW) {
        assertThat(a.authorize(r).verdict()).as("seed %d request %s", seed, r).isNotEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Property(tries = 60)
  void symbolic_isSoundAgainstConcreteContexts(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Authorizer a = Authorizer.create(w);
    for (int i = 0; i < 10; i++) {
      Request r = g.request();
      // kms:GrantId names the grant a RetireGrant request is about: a parameter, kept fixed
      java.util.Map<String, List<String>> fixed = r.context().containsKey("kms:GrantId")
          ? java.util.Map.of("kms:GrantId", r.context().get("kms:GrantId")) : java.util.Map.of();
      Request bare = new Request(r.id(), r.principal(), r.action(), r.resource(), fixed, r.session());
      ConditionalDecision s = a.authorizeSymbolic(bare, java.util.Set.of("*"));
      Verdict concrete = a.authorize(r).verdict();
      if (s.outcome() == ConditionalDecision.Outcome.DENY) {
        assertThat(concrete).as("seed %d: symbolic DENY but %s allowed", seed, r).isNotEqualTo(Verdict.ALLOW);
      }
      if (s.outcome() == ConditionalDecision.Outcome.ALLOW) {
        assertThat(concrete).as("seed %d: symbolic ALLOW but %s denied", seed, r).isEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Property(tries = 25)
  void symbolic_agreesWithEveryContextOfAGrid(@ForAll long seed) {
    RandomWorlds g = new RandomWorlds(seed);
    World w = g.world();
    Authorizer a = Authorizer.create(w);
    List<java.util.Map<String, List<String>>> grid = contextGrid();
    for (int i = 0; i < 4; i++) {
      Request r = g.request();
      Request bare = new Request(r.id(), r.principal(), r.action(), r.resource(), java.util.Map.of());
      ConditionalDecision s = a.authorizeSymbolic(bare, java.util.Set.of("*"));
      boolean anyAllowed = false;
      boolean allAllowed = true;
      for (java.util.Map<String, List<String>> ctx : grid) {
        boolean allowed = a.authorize(new Request("", r.principal(), r.action(), r.resource(), ctx)).verdict()
            == Verdict.ALLOW;
        anyAllowed |= allowed;
        allAllowed &= allowed;
      }
      if (s.outcome() == ConditionalDecision.Outcome.DENY) {
        assertThat(anyAllowed).as("seed %d: symbolic DENY for %s but a grid context allows", seed, bare).isFalse();
      }
      if (s.outcome() == ConditionalDecision.Outcome.ALLOW) {
        assertThat(allAllowed).as("seed %d: symbolic ALLOW for %s but a grid context denies", seed, bare).isTrue();
      }
    }
  }

  /** Contexts over the generator's vocabulary: every combination of the values its conditions test. */
  private static List<java.util.Map<String, List<String>>> contextGrid() {
    List<List<String>> depts = java.util.Arrays.asList(null, List.of("Finance"), List.of("HR"), List.of("Legal"),
        List.of("fin"), List.of("ops"), List.of("Finance", "HR"));
    List<List<String>> via = java.util.Arrays.asList(null, List.of("s3.us-east-1.amazonaws.com"),
        List.of("ec2.us-east-1.amazonaws.com"), List.of("sqs.us-east-1.amazonaws.com"));
    List<java.util.Map<String, List<String>>> out = new ArrayList<>();
    for (String deptKey : List.of("kms:EncryptionContext:Dept", "kms:encryptioncontext:dept")) {
      for (List<String> d : depts) {
        for (boolean project : new boolean[] {false, true}) {
          for (List<String> v : via) {
            java.util.Map<String, List<String>> ctx = new java.util.HashMap<>();
            if (d != null) {
              ctx.put(deptKey, d);
            }
            if (project) {
              ctx.put("kms:EncryptionContext:Project", List.of("x"));
            }
            if (v != null) {
              ctx.put("kms:ViaService", v);
            }
            out.add(ctx);
          }
        }
      }
    }
    return out;
  }

  // --- world surgery -------------------------------------------------------------------------------

  private interface PolicyMap {
    PolicyDocument apply(PolicyDocument p);
  }

  private static PolicyDocument withStatement(PolicyDocument p, Statement s, int at) {
    List<Statement> ss = new ArrayList<>(p.statements());
    ss.add(Math.min(at, ss.size()), s);
    return new PolicyDocument(p.name(), p.type(), p.version(), p.id(), ss, p.source());
  }

  private static World mapKeyPolicies(World w, PolicyMap f) {
    List<KmsKey> keys = new ArrayList<>();
    for (KmsKey k : w.keys()) {
      keys.add(new KmsKey(k.arn(), f.apply(k.policy()), k.defaultPolicy(), k.grants(), k.metadata(), k.source()));
    }
    return new World(w.name(), w.organizations(), w.accounts(), w.principals(), keys,
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
  }

  private static World shuffle(World w, Random r) {
    PolicyMap f = p -> {
      List<Statement> ss = new ArrayList<>(p.statements());
      Collections.shuffle(ss, r);
      return new PolicyDocument(p.name(), p.type(), p.version(), p.id(), ss, p.source());
    };
    List<IamPrincipal> ps = new ArrayList<>();
    for (IamPrincipal p : w.principals()) {
      List<PolicyDocument> pols = new ArrayList<>();
      for (PolicyDocument d : p.policies()) {
        pols.add(f.apply(d));
      }
      Collections.shuffle(pols, r);
      ps.add(new IamPrincipal(p.arn(), p.account(), p.tags(), pols,
          p.boundary() == null ? null : f.apply(p.boundary()), p.source()));
    }
    World keysShuffled = mapKeyPolicies(w, f);
    List<KmsKey> keys = new ArrayList<>();
    for (KmsKey k : keysShuffled.keys()) {
      List<dev.keyward.world.Grant> grants = new ArrayList<>(k.grants());
      Collections.shuffle(grants, r);
      keys.add(new KmsKey(k.arn(), k.policy(), k.defaultPolicy(), grants, k.metadata(), k.source()));
    }
    List<dev.keyward.world.Organization> orgs = new ArrayList<>();
    for (dev.keyward.world.Organization o : w.organizations()) {
      List<PolicyDocument> scps = new ArrayList<>();
      for (PolicyDocument d : o.scps()) {
        scps.add(f.apply(d));
      }
      Collections.shuffle(scps, r);
      orgs.add(new dev.keyward.world.Organization(o.id(), o.rootId(), o.managementAccount(), o.accounts(), scps,
          shuffled(o.rcps(), f, r), shuffledUnits(o.units(), f, r), o.source()));
    }
    List<dev.keyward.world.Account> accounts = new ArrayList<>();
    for (dev.keyward.world.Account a : w.accounts()) {
      accounts.add(new dev.keyward.world.Account(a.id(), shuffled(a.scps(), f, r), shuffled(a.rcps(), f, r), a.source()));
    }
    return new World(w.name(), orgs, accounts, ps, keys,
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
  }

  private static List<PolicyDocument> shuffled(List<PolicyDocument> docs, PolicyMap f, Random r) {
    List<PolicyDocument> out = new ArrayList<>();
    for (PolicyDocument d : docs) {
      out.add(f.apply(d));
    }
    Collections.shuffle(out, r);
    return out;
  }

  private static List<dev.keyward.world.OrganizationalUnit> shuffledUnits(List<dev.keyward.world.OrganizationalUnit> units,
      PolicyMap f, Random r) {
    List<dev.keyward.world.OrganizationalUnit> out = new ArrayList<>();
    for (dev.keyward.world.OrganizationalUnit u : units) {
      out.add(new dev.keyward.world.OrganizationalUnit(u.id(), u.name(), shuffled(u.scps(), f, r), shuffled(u.rcps(), f, r),
          u.accounts(), shuffledUnits(u.units(), f, r), u.source()));
    }
    Collections.shuffle(out, r);
    return out;
  }

  /** Adds one random statement of the effect to one random policy (key policy, identity, boundary or SCP). */
  private static World addStatement(World w, RandomWorlds g, Effect effect) {
    int where = g.chance(50) ? 0 : g.chance(60) ? 1 : g.chance(50) ? 2 : 3;
    if (where == 0) {
      KmsKey target = g.pick(w.keys());
      Statement s = g.statement(50, PolicyType.KEY_POLICY, effect);
      List<KmsKey> keys = new ArrayList<>();
      for (KmsKey k : w.keys()) {
        keys.add(k == target ? new KmsKey(k.arn(), withStatement(k.policy(), s, 99), k.defaultPolicy(), k.grants(),
            k.metadata(), k.source()) : k);
      }
      return new World(w.name(), w.organizations(), w.accounts(), w.principals(), keys,
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
    }
    if (where == 3 && !w.organizations().isEmpty()) {
      dev.keyward.world.Organization o = w.organizations().get(0);
      Statement s = g.statement(50, PolicyType.SCP, effect);
      List<PolicyDocument> scps = new ArrayList<>(o.scps());
      List<PolicyDocument> rcps = new ArrayList<>(o.rcps());
      if (effect == Effect.DENY && g.chance(40)) {
        // an RCP may only add Denies: one with Principal "*"
        Statement d = new Statement(s.index(), s.sid(), Effect.DENY, new dev.keyward.model.PrincipalElement(false, true,
            List.of(), s.source()), s.action(), s.resource(), s.conditions(), s.source());
        rcps.add(new PolicyDocument("rcp-added", PolicyType.RCP, PolicyDocument.VERSION_2012, null, List.of(d),
            s.source()));
      } else {
        scps.set(0, withStatement(scps.get(0), s, 99));
      }
      return new World(w.name(), List.of(new dev.keyward.world.Organization(o.id(), o.rootId(), o.managementAccount(),
          o.accounts(), scps, rcps, o.units(), o.source())), w.accounts(), w.principals(), w.keys(),
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
    }
    IamPrincipal target = g.pick(w.principals());
    Statement s = g.statement(50, PolicyType.IDENTITY, effect);
    List<IamPrincipal> ps = new ArrayList<>();
    for (IamPrincipal p : w.principals()) {
      if (p != target) {
        ps.add(p);
        continue;
      }
      if (where == 2 && p.boundary() != null) {
        ps.add(new IamPrincipal(p.arn(), p.account(), p.tags(), p.policies(), withStatement(p.boundary(), s, 99),
            p.source()));
      } else {
        List<PolicyDocument> pols = new ArrayList<>(p.policies());
        if (pols.isEmpty()) {
          pols.add(new PolicyDocument("added", PolicyType.IDENTITY, PolicyDocument.VERSION_2012, null, List.of(s),
              SourceRef.none()));
        } else {
          pols.set(0, withStatement(pols.get(0), s, 99));
        }
        ps.add(new IamPrincipal(p.arn(), p.account(), p.tags(), pols, p.boundary(), p.source()));
      }
    }
    return new World(w.name(), w.organizations(), w.accounts(), ps, w.keys(),
        w.buckets(), w.images(), w.identities(), w.vpcEndpoints(), w.source());
  }
}
