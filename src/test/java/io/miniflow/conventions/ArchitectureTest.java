package io.miniflow.conventions;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.miniflow.workspace.Member;
import io.miniflow.workspace.WorkspaceService;

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
     * Aliyun's SDK types stay in their adapter: the ports speak Miniflow's types, and SDK exceptions become a
     * PlatformException once, in AliyunClientFactory. The emulators implement the wire format from the platform's
     * reference, not from the SDK's classes, so the SDK tests them rather than agreeing with itself.
     */
    @ArchTest
    static final ArchRule onlyTheAliyunAdapterUsesTheAliyunSdk = noClasses()
        .that().resideOutsideOfPackage("io.miniflow.cloud.aliyun..")
        .should().dependOnClassesThat().resideInAPackage("com.aliyuncs..");

    /** The same for wechatpay-java: requests, transactions and notification parsing live in payment.wechatpay. */
    @ArchTest
    static final ArchRule onlyTheWechatPayAdapterUsesTheWechatPaySdk = noClasses()
        .that().resideOutsideOfPackage("io.miniflow.payment.wechatpay..")
        .should().dependOnClassesThat().resideInAPackage("com.wechat.pay..");

    /** Cloud and payment are features of their own; what both need (idempotency keys, platform errors) is in shared. */
    @ArchTest
    static final ArchRule paymentDoesNotDependOnCloud = noClasses()
        .that().resideInAPackage("io.miniflow.payment..")
        .should().dependOnClassesThat().resideInAPackage("io.miniflow.cloud..");

    @ArchTest
    static final ArchRule cloudDoesNotDependOnPayment = noClasses()
        .that().resideInAPackage("io.miniflow.cloud..")
        .should().dependOnClassesThat().resideInAPackage("io.miniflow.payment..");

    /**
     * The emulators are an application of their own: they use nothing of Miniflow but the WeChat message crypto that
     * both sides of the wire share, so they run beside Miniflow or alone unchanged.
     */
    @ArchTest
    static final ArchRule theEmulatorsStandAlone = classes()
        .that().resideInAPackage("io.miniflow.sandbox..")
        .should().onlyDependOnClassesThat(resideInAnyPackage("io.miniflow.sandbox..", "io.miniflow.wechat.crypto..")
            .or(resideOutsideOfPackage("io.miniflow..")));

    /**
     * "May this user do X in this workspace" has one answer, WorkspaceAccess: features do not read a member's role
     * themselves (three copies had drifted: one trusted the login's groups, one forgot blocked members).
     */
    @ArchTest
    static final ArchRule roleChecksGoThroughWorkspaceAccess = noClasses()
        .that().resideOutsideOfPackages("io.miniflow.workspace..", "io.miniflow.demo..")
        .should().callMethod(Member.class, "role")
        .orShould().callMethod(WorkspaceService.class, "membership", String.class, String.class);

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
