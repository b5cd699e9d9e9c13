package dev.sluice.runners.benchmarks;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No package of the runner modules imports a package that imports it back (the benchmarks see every
 * module but Spark's; {@code sluice-testing}'s ArchitectureTest checks the modules below).
 */
class PackageCyclesTest {
  @Test
  void noPackageImportsAPackageThatImportsItBack() {
    slices()
        .matching("dev.sluice.(**)")
        .should()
        .beFreeOfCycles()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice"));
  }
}
