package io.miniflow.sandbox;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.ComponentScan;

/**
 * The emulators of WeChat's third-party platform, Aliyun ECS/SLB and WeChat Pay, and a webhook receiver: the one
 * door into the sandbox. An auto-configuration, switched on by {@code miniflow.sandbox.emulators=true}: the
 * {@code sandbox} profile serves them beside Miniflow (same application, same port), {@link SandboxApplication}
 * serves them alone. Miniflow's own code never names them; it reaches them over HTTP like the real platforms.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "miniflow.sandbox.emulators", havingValue = "true")
@ComponentScan({"io.miniflow.sandbox.wechat", "io.miniflow.sandbox.aliyun", "io.miniflow.sandbox.wechatpay",
    "io.miniflow.sandbox.receiver"})
public class SandboxEmulators {
}
