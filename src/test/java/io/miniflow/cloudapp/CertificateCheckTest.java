package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.miniflow.cloudapp.TestCertificates.Pem;
import io.miniflow.shared.InvalidFields;

/** The certificate check on certificates made in the test: each failure on its field with its message key. */
class CertificateCheckTest {

    private final Instant now = Instant.now();

    @Test
    void aMatchingValidCertificatePassesWithItsSubjectNamesAndExpiry() throws Exception {
        Pem pem = TestCertificates.valid("shop.example.com", "www.example.com");
        InvalidFields invalid = new InvalidFields();

        CertificateCheck.Checked checked = CertificateCheck.check(pem.certificate(), pem.privateKey(),
            "shop.example.com", now, invalid);

        assertThat(invalid.fields()).isEmpty();
        assertThat(checked.dnsNames()).containsExactly("shop.example.com", "www.example.com");
        assertThat(checked.subject()).contains("CN=shop.example.com");
        assertThat(checked.notAfter()).isAfter(now);
        assertThat(checked.fingerprint()).hasSize(64);
    }

    @Test
    void pkcs1RsaAndEcKeysAreReadToo() throws Exception {
        Pem rsa = TestCertificates.valid("shop.example.com");
        assertThat(keys(CertificateCheck.check(rsa.certificate(), TestCertificates.traditional(rsa.keys()),
            "shop.example.com", now, new InvalidFields()))).isTrue();
        assertThat(TestCertificates.traditional(rsa.keys())).contains("BEGIN RSA PRIVATE KEY");

        Pem ec = TestCertificates.certificate(TestCertificates.ec(), "shop.example.com",
            now.minus(Duration.ofDays(1)), Duration.ofDays(30), "shop.example.com");
        InvalidFields invalid = new InvalidFields();
        CertificateCheck.check(ec.certificate(), TestCertificates.traditional(ec.keys()), "shop.example.com", now,
            invalid);
        assertThat(invalid.fields()).isEmpty();
        assertThat(TestCertificates.traditional(ec.keys())).contains("BEGIN EC PRIVATE KEY");
        assertThat(CertificateCheck.check(ec.certificate(), ec.privateKey(), "shop.example.com", now,
            new InvalidFields())).isNotNull();
    }

    @Test
    void anotherCertificatesKeyIsAMismatch() throws Exception {
        Pem one = TestCertificates.valid("shop.example.com");
        Pem other = TestCertificates.valid("shop.example.com");

        assertThat(refusals(one.certificate(), other.privateKey(), "shop.example.com"))
            .containsExactly("privateKeyPem:cloudapp.certificate.keyMismatch");
        Pem ec = TestCertificates.certificate(TestCertificates.ec(), "shop.example.com",
            now.minus(Duration.ofDays(1)), Duration.ofDays(30), "shop.example.com");
        assertThat(refusals(one.certificate(), ec.privateKey(), "shop.example.com"))
            .containsExactly("privateKeyPem:cloudapp.certificate.keyMismatch");
    }

    @Test
    void anExpiredCertificateAndOneNotYetValidAreRefused() throws Exception {
        Pem expired = TestCertificates.certificate(TestCertificates.rsa(), "shop.example.com",
            now.minus(Duration.ofDays(100)), Duration.ofDays(90), "shop.example.com");
        assertThat(refusals(expired.certificate(), expired.privateKey(), "shop.example.com"))
            .containsExactly("certificatePem:cloudapp.certificate.expired");

        Pem future = TestCertificates.certificate(TestCertificates.rsa(), "shop.example.com",
            now.plus(Duration.ofDays(2)), Duration.ofDays(90), "shop.example.com");
        assertThat(refusals(future.certificate(), future.privateKey(), "shop.example.com"))
            .containsExactly("certificatePem:cloudapp.certificate.notYetValid");
    }

    @Test
    void aCertificateForAnotherDomainIsRefusedOnTheDomain() throws Exception {
        Pem pem = TestCertificates.valid("shop.example.com");
        assertThat(refusals(pem.certificate(), pem.privateKey(), "pay.example.com"))
            .containsExactly("domain:cloudapp.certificate.domainNotCovered");
    }

    @Test
    void aWildcardCoversExactlyOneLabel() throws Exception {
        Pem pem = TestCertificates.valid("*.example.com");
        assertThat(refusals(pem.certificate(), pem.privateKey(), "shop.example.com")).isEmpty();
        assertThat(refusals(pem.certificate(), pem.privateKey(), "a.shop.example.com"))
            .containsExactly("domain:cloudapp.certificate.domainNotCovered");
        assertThat(refusals(pem.certificate(), pem.privateKey(), "example.com"))
            .containsExactly("domain:cloudapp.certificate.domainNotCovered");
    }

    @Test
    void withoutSubjectAlternativeNamesTheCommonNameCounts() throws Exception {
        Pem pem = TestCertificates.certificate(TestCertificates.rsa(), "legacy.example.com",
            now.minus(Duration.ofDays(1)), Duration.ofDays(30));
        assertThat(refusals(pem.certificate(), pem.privateKey(), "legacy.example.com")).isEmpty();
        assertThat(refusals(pem.certificate(), pem.privateKey(), "other.example.com"))
            .containsExactly("domain:cloudapp.certificate.domainNotCovered");
    }

    @Test
    void garbageAndMissingPemAreNamedOnTheirFields() throws Exception {
        Pem pem = TestCertificates.valid("shop.example.com");
        assertThat(refusals("not a certificate", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "shop.example.com"))
            .containsExactly("certificatePem:cloudapp.certificate.unreadable", "privateKeyPem:cloudapp.privateKey.unreadable");
        assertThat(refusals(pem.privateKey(), pem.certificate(), "shop.example.com"))
            .containsExactly("certificatePem:cloudapp.certificate.unreadable", "privateKeyPem:cloudapp.privateKey.unreadable");
        assertThat(refusals(null, " ", "shop.example.com"))
            .containsExactly("certificatePem:cloudapp.certificate.required", "privateKeyPem:cloudapp.privateKey.required");
    }

    private List<String> refusals(String certificate, String key, String domain) {
        InvalidFields invalid = new InvalidFields();
        CertificateCheck.Checked checked = CertificateCheck.check(certificate, key, domain, now, invalid);
        assertThat(checked == null).as("null exactly when refused").isEqualTo(!invalid.fields().isEmpty());
        return invalid.fields().stream().map(f -> f.field() + ":" + f.key()).toList();
    }

    private static boolean keys(CertificateCheck.Checked checked) {
        return checked != null;
    }
}
