package io.miniflow.cloudapp;

/** 入门版 (one ECS with MySQL on it) and 标准版 (two ECS behind an SLB with an RDS MySQL); specs in {@link CloudPlans}. */
public enum Plan {
    STARTER, STANDARD
}
