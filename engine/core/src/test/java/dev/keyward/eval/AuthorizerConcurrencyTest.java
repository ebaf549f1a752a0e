package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.request.Request;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AuthorizerConcurrencyTest {

  @Test
  void authorize_fromSeveralThreads_sameAnswersAsSequential() throws Exception {
    RandomWorlds g = new RandomWorlds(7);
    World w = g.world();
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      requests.add(g.request());
    }
    // sequential answers from a separate instance, so that the shared one starts with empty caches
    Authorizer sequential = Authorizer.create(w);
    List<Verdict> expected = new ArrayList<>();
    for (Request r : requests) {
      expected.add(sequential.authorize(r).verdict());
    }
    Authorizer shared = Authorizer.create(w);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Verdict>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          List<Verdict> out = new ArrayList<>();
          for (Request r : requests) {
            out.add(shared.authorize(r).verdict());
          }
          return out;
        }));
      }
      for (Future<List<Verdict>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
