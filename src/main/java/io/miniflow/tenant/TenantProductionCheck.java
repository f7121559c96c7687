package io.miniflow.tenant;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

import io.miniflow.shared.PublicAddress;
import org.springframework.stereotype.Component;

/**
 * The prod profile needs Miniflow's public https address: merchants open the tenants' authorization links there,
 * and WeChat sends them back to it.
 */
@Component
@Profile("prod")
class TenantProductionCheck implements ApplicationRunner {

    private final Environment environment;

    TenantProductionCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        String problem = problem(environment.getProperty(PublicAddress.PROPERTY, ""));
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    static String problem(String publicUrl) {
        if (publicUrl == null || !publicUrl.startsWith("https://") || publicUrl.length() <= "https://".length()) {
            return "MINIFLOW_PUBLIC_URL (miniflow.public-url) must be Miniflow's public https address: "
                + "tenants' authorization links start there, cloud servers fetch release packages from it";
        }
        return null;
    }
}
