package io.miniflow.cloudapp;

/** The cloud resources a build records for its environment, so a retry, a give-up or a release finds them. */
public enum ResourceKind {
    ECS_INSTANCE, LOAD_BALANCER, RDS_INSTANCE, DNS_RECORD, SERVER_CERTIFICATE
}
