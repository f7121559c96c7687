package io.miniflow.cloudapp;

/** Request bodies of the cloud apps API and console forms; CloudAppService checks them whole (i18n/cloudapp). */
public final class CloudAppRequests {

    private CloudAppRequests() {
    }

    /** runtime: SPRING_BOOT, NODEJS or PHP. */
    public record NewCloudApp(String workspace, String name, String runtime, String description) {
    }

    /** plan: STARTER or STANDARD; months: a duration of the plan's price table; prod only: domain and certificate. */
    public record BuildRequest(String plan, Integer months, String domain, String certificatePem,
                               String privateKeyPem) {
    }

    /** PUT /api/cloud-apps/{name}/environments/prod/certificate: a new certificate for the environment's domain. */
    @io.miniflow.shared.StrictJson
    public record CertificateRequest(String certificatePem, String privateKeyPem) {
    }
}
