package io.miniflow.cloudapp;

import java.time.Instant;

/** An uploaded certificate as shown (never with its private key). */
public record Certificate(long id, long environmentId, String domain, String certificatePem, String subject,
                          Instant notBefore, Instant notAfter, String fingerprint, String cloudCertificateId,
                          String uploadedBy, Instant uploadedAt) {
}
