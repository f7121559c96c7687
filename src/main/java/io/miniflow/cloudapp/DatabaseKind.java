package io.miniflow.cloudapp;

/** Where an environment's MySQL runs: installed on its ECS instance (starter) or an RDS instance (standard). */
public enum DatabaseKind {
    ECS_MYSQL, RDS
}
