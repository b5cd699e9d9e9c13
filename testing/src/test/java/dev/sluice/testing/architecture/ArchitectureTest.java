package dev.sluice.testing.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the modules promise, checked on the compiled classes of every module this one sees
 * (transforms, pipelines, launcher, testing): no package imports a package that imports it back,
 * jobs never import the launcher, and nothing but tests imports the test kit. Cycles between
 * modules are impossible (Maven refuses them); these are the cycles Maven cannot see. The runner
 * modules check their own packages the same way.
 */
class ArchitectureTest {
  private static JavaClasses sluice;

  @BeforeAll
  static void importClasses() {
    sluice =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice");
  }

  @Test
  void noPackageImportsAPackageThatImportsItBack() {
    slices().matching("dev.sluice.(**)").should().beFreeOfCycles().check(sluice);
  }

  @Test
  void jobsAndTransformsNeverImportTheLauncher() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.sluice.pipelines..", "dev.sluice.transforms..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sluice.launcher..", "dev.sluice.testing..")
        .check(sluice);
  }

  @Test
  void theLauncherNeverImportsTheTestKit() {
    noClasses()
        .that()
        .resideInAPackage("dev.sluice.launcher..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.testing..")
        .check(sluice);
  }
}
