package dev.keyward.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/architecture.md true: every package of Keyward's main code depends only on packages of the
 * layers below its own, never on a sibling of its layer or on anything above. This test lives in the CLI
 * module because that module sees the classes of all three (policy engine, local KMS, CLI).
 */
class LayersTest {

  /** The layers, bottom first; the same table as docs/architecture.md. */
  static final List<List<String>> LAYERS = List.of(
      List.of("model", "lang"),
      List.of("parse", "iam", "condition", "request"),
      List.of("world"),
      List.of("eval"),
      List.of("analysis", "access"),
      List.of("lint"),
      List.of("template", "report"),
      List.of("visual", "policytest"),
      List.of("build"),
      List.of("runtime"),
      List.of("server"),
      List.of("snapshot"),
      List.of("cli"));

  /**
   * The main classes of the three modules, from their folders in a reactor build or from their jars otherwise;
   * never test classes, whether from a folder or from a module's test jar.
   */
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("dev.keyward");

  @Test
  void eachPackageDependsOnlyOnTheLayersBelowIt() {
    LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitecture();
    for (List<String> layer : LAYERS) {
      for (String p : layer) {
        architecture = architecture.layer(p).definedBy("dev.keyward." + p + "..");
      }
    }
    for (int i = 0; i < LAYERS.size(); i++) {
      List<String> above = new ArrayList<>();
      for (List<String> higher : LAYERS.subList(i + 1, LAYERS.size())) {
        above.addAll(higher);
      }
      for (String p : LAYERS.get(i)) {
        architecture = above.isEmpty()
            ? architecture.whereLayer(p).mayNotBeAccessedByAnyLayer()
            : architecture.whereLayer(p).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
      }
    }
    architecture.check(MAIN);
  }
}
