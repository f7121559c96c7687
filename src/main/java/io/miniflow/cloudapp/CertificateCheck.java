package io.miniflow.cloudapp;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import io.miniflow.shared.InvalidFields;

/**
 * Checks an uploaded SSL certificate before anything is bought (seed 001 §3.3): the PEM parses, the private key (PKCS#1
 * "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY" or "EC PRIVATE KEY"; not encrypted) belongs to the certificate, the
 * certificate is valid now, and it covers the domain (a SAN DNS name, wildcards one label deep, else the subject's
 * CN). Every failure is named on its field ({@code certificatePem}, {@code privateKeyPem}, {@code domain}).
 * BouncyCastle reads the PEM; the JDK's providers do the cryptography.
 */
public final class CertificateCheck {

    /** What was checked, for storing and showing. */
    public record Checked(X509Certificate certificate, String subject, Instant notBefore, Instant notAfter,
                          List<String> dnsNames, String fingerprint) {
    }

    private CertificateCheck() {
    }

    /** The certificate if it passes; otherwise null, with every reason added to {@code invalid}. */
    public static Checked check(String certificatePem, String privateKeyPem, String domain, Instant now,
                                InvalidFields invalid) {
        X509Certificate certificate = readCertificate(certificatePem, invalid);
        PrivateKey key = readPrivateKey(privateKeyPem, invalid);
        if (certificate == null) {
            return null;
        }
        List<String> names = dnsNames(certificate);
        String subject = certificate.getSubjectX500Principal().getName();
        boolean ok = true;
        if (key != null && !matches(certificate.getPublicKey(), key)) {
            invalid.add("privateKeyPem", "cloudapp.certificate.keyMismatch");
            ok = false;
        }
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            invalid.add("certificatePem", "cloudapp.certificate.expired", notAfter.toString());
            ok = false;
        } else if (now.isBefore(notBefore)) {
            invalid.add("certificatePem", "cloudapp.certificate.notYetValid", notBefore.toString());
            ok = false;
        }
        if (domain != null && !covers(names, domain)) {
            invalid.add("domain", "cloudapp.certificate.domainNotCovered", domain, String.join(", ", names));
            ok = false;
        }
        return ok && key != null ? new Checked(certificate, subject, notBefore, notAfter, names, fingerprint(certificate))
            : null;
    }

    /** Whether one of the names covers the host: equal, or "*.example.com" for exactly one more label. */
    static boolean covers(List<String> names, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(h)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static X509Certificate readCertificate(String pem, InvalidFields invalid) {
        if (pem == null || pem.isBlank()) {
            invalid.add("certificatePem", "cloudapp.certificate.required");
            return null;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object first = parser.readObject();
            if (first instanceof X509CertificateHolder holder) {
                return new JcaX509CertificateConverter().getCertificate(holder);
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            // falls through: not a readable certificate
        }
        invalid.add("certificatePem", "cloudapp.certificate.unreadable");
        return null;
    }

    private static PrivateKey readPrivateKey(String pem, InvalidFields invalid) {
        if (pem == null || pem.isBlank()) {
            invalid.add("privateKeyPem", "cloudapp.privateKey.required");
            return null;
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            // The JDK's KeyFactory knows EC keys as "EC" (BouncyCastle's default name, "ECDSA", is its own provider's).
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter()
                .setAlgorithmMapping(X9ObjectIdentifiers.id_ecPublicKey, "EC");
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                invalid.add("privateKeyPem", "cloudapp.privateKey.encrypted");
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // falls through: not a readable key
        }
        invalid.add("privateKeyPem", "cloudapp.privateKey.unreadable");
        return null;
    }

    /** Signs a probe with the key and verifies it with the certificate's public key: works for RSA, EC and others. */
    private static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        if (publicKey instanceof RSAPublicKey rsa && privateKey instanceof RSAPrivateCrtKey crt) {
            return rsa.getModulus().equals(crt.getModulus()) && rsa.getPublicExponent().equals(crt.getPublicExponent());
        }
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())
            && !(publicKey instanceof ECKey && privateKey instanceof ECKey)) {
            return false;
        }
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "miniflow certificate check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable SAN: the CN is all there is
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // no CN either
            }
        }
        return names;
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
