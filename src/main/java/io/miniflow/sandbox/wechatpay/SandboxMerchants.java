package io.miniflow.sandbox.wechatpay;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one sandbox merchant, generated at first use and kept in the database so that a restarted emulator (and a
 * Miniflow configured with its keys) keeps working.
 */
@Component
class SandboxMerchants {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile SandboxMerchant merchant;

    SandboxMerchants(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    SandboxMerchant merchant() {
        SandboxMerchant known = merchant;
        if (known == null) {
            synchronized (this) {
                if (merchant == null) {
                    merchant = load();
                }
                known = merchant;
            }
        }
        return known;
    }

    private SandboxMerchant load() {
        return jdbc.sql("SELECT * FROM sandbox_wechatpay_merchant ORDER BY id").query((rs, n) -> new SandboxMerchant(
                rs.getString("mchid"), rs.getString("appid"), rs.getString("serial_no"),
                rs.getString("merchant_private_key"), rs.getString("merchant_public_key"),
                rs.getString("platform_private_key"), rs.getString("platform_public_key"),
                rs.getString("platform_public_key_id"), rs.getString("api_v3_key")))
            .list().stream().findFirst().orElseGet(this::generate);
    }

    private SandboxMerchant generate() {
        KeyPair merchantKeys = rsa();
        KeyPair platformKeys = rsa();
        SandboxMerchant created = new SandboxMerchant("19" + digits(8), "wx" + hex(8), hex(20).toUpperCase(),
            SandboxMerchant.pem("PRIVATE KEY", merchantKeys.getPrivate().getEncoded()),
            SandboxMerchant.pem("PUBLIC KEY", merchantKeys.getPublic().getEncoded()),
            SandboxMerchant.pem("PRIVATE KEY", platformKeys.getPrivate().getEncoded()),
            SandboxMerchant.pem("PUBLIC KEY", platformKeys.getPublic().getEncoded()),
            "PUB_KEY_ID_01" + digits(20), alnum(32));
        jdbc.sql("""
                INSERT INTO sandbox_wechatpay_merchant (mchid, appid, serial_no, merchant_private_key, merchant_public_key,
                  platform_private_key, platform_public_key, platform_public_key_id, api_v3_key, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(created.mchid(), created.appid(), created.serialNo(), created.merchantPrivateKeyPem(),
                created.merchantPublicKeyPem(), created.platformPrivateKeyPem(), created.platformPublicKeyPem(),
                created.platformPublicKeyId(), created.apiV3Key(), Timestamp.from(clock.instant()))
            .update();
        return created;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digits(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(RANDOM.nextInt(10));
        }
        return s.toString();
    }

    static String alnum(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return s.toString();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
