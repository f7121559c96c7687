package io.miniflow.shared.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Profiles;

/**
 * The {@link SecretBox} of this node from {@code miniflow.secrets.master-key} (current) and
 * {@code miniflow.secrets.previous-master-keys} (decrypt only). Start-up fails without a master key, with the
 * sandbox's published key in the prod profile, or when a configured {@code mf1:} value does not decrypt, so a wrong
 * key is found at start and not at the first payment.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfig {

    static final String MASTER_KEY = "miniflow.secrets.master-key";
    static final String PREVIOUS_MASTER_KEYS = "miniflow.secrets.previous-master-keys";
    /** Published in application-sandbox.yml: anyone can decrypt what it protects, hence refused by prod. */
    static final String SANDBOX_MASTER_KEY = "sandbox:EAteVSOU8cOo3T02AYLcGGdtD2/WoS3fwHAx7hTheg0=";

    private static final Logger log = LoggerFactory.getLogger(SecretsConfig.class);

    @Bean
    SecretBox secretBox(ConfigurableEnvironment environment) {
        List<String> previous = Binder.get(environment).bind(PREVIOUS_MASTER_KEYS, Bindable.listOf(String.class))
            .orElse(List.of());
        SecretBox box = create(environment.getProperty(MASTER_KEY), previous,
            environment.acceptsProfiles(Profiles.of("prod")));
        List<String> unreadable = undecryptableProperties(environment, box);
        if (!unreadable.isEmpty()) {
            throw new IllegalStateException("These settings are encrypted (mf1:) but do not decrypt with the "
                + "configured master keys: " + String.join(", ", unreadable));
        }
        log.info("Secrets are encrypted with master key '{}'", box.currentKeyId());
        return box;
    }

    static SecretBox create(String masterKey, List<String> previousKeys, boolean production) {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalStateException(MASTER_KEY + " is not set: set MINIFLOW_SECRETS_MASTER_KEY to "
                + "<id>:<base64 of 32 random bytes> (SecretTool new-key makes one, see docs/operations.md)");
        }
        MasterKey current = MasterKey.parse(masterKey);
        if (production && current.sameKeyAs(MasterKey.parse(SANDBOX_MASTER_KEY))) {
            throw new IllegalStateException("The prod profile refuses the sandbox's published master key: set "
                + "MINIFLOW_SECRETS_MASTER_KEY to a key of your own (the sandbox key may stay as a previous key while "
                + "the start-up re-encryption moves values away from it)");
        }
        return SecretBox.fromConfig(masterKey, previousKeys);
    }

    /**
     * Names of Miniflow settings whose value is in the encrypted form but does not decrypt; values are never named.
     * Both spellings are looked at: {@code miniflow.*} (files, -D) and {@code MINIFLOW_*} (the environment).
     */
    static List<String> undecryptableProperties(ConfigurableEnvironment environment, SecretBox box) {
        TreeSet<String> names = new TreeSet<>();
        for (var source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("miniflow.") || name.startsWith("MINIFLOW_")) {
                        names.add(name);
                    }
                }
            }
        }
        List<String> unreadable = new ArrayList<>();
        for (String name : names) {
            String value;
            try {
                value = environment.getProperty(name);
            } catch (RuntimeException unresolvable) {
                continue; // a placeholder without default: whoever uses the setting reports it
            }
            if (SecretBox.isEncrypted(value)) {
                try {
                    box.decrypt(value);
                } catch (SecretBoxException e) {
                    unreadable.add(name + " (" + e.getMessage() + ")");
                }
            }
        }
        return unreadable;
    }
}
