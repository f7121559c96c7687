package io.miniflow.conventions;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Package rules that keep the parts honest. */
@AnalyzeClasses(packages = "io.miniflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Miniflow reaches the platforms over HTTP only. Calling an emulator class directly would be a mock in the
     * platform's place and would break the day the base URL points at the real WeChat or Aliyun.
     */
    @ArchTest
    static final ArchRule miniflowNeverCallsTheEmulatorsDirectly = noClasses()
        .that().resideOutsideOfPackage("io.miniflow.sandbox..")
        // The composition root starts the emulators alone for their documented command, and nothing more.
        .and().doNotHaveFullyQualifiedName("io.miniflow.MiniflowApplication")
        .should().dependOnClassesThat().resideInAPackage("io.miniflow.sandbox..");

    /**
     * The emulators are an application of their own: they use nothing of Miniflow but the WeChat message crypto that
     * both sides of the wire share, so they run beside Miniflow or alone unchanged.
     */
    @ArchTest
    static final ArchRule theEmulatorsStandAlone = classes()
        .that().resideInAPackage("io.miniflow.sandbox..")
        .should().onlyDependOnClassesThat(resideInAnyPackage("io.miniflow.sandbox..", "io.miniflow.wechat.crypto..")
            .or(resideOutsideOfPackage("io.miniflow..")));

    /** The console presents; features do not reach into it. */
    @ArchTest
    static final ArchRule featuresDoNotDependOnTheConsole = noClasses()
        .that().resideOutsideOfPackage("io.miniflow.console..")
        .should().dependOnClassesThat().resideInAPackage("io.miniflow.console..");

    /**
     * The release processes drive a mini-program platform through their own ports ({@code MiniProgramCodePort},
     * {@code AuditResults}, ...); WeChat's side implements and calls them, so another platform, or a fake in a
     * process test, plugs in without touching a release.
     */
    @ArchTest
    static final ArchRule releasesDoNotDependOnWechat = noClasses()
        .that().resideInAPackage("io.miniflow.release..")
        .should().dependOnClassesThat().resideInAPackage("io.miniflow.wechat..");
}
