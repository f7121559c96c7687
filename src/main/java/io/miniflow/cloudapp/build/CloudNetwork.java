package io.miniflow.cloudapp.build;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where an installation's environments are bought ({@code miniflow.cloud.network.*}): the zone, the image and network
 * of the servers, the RDS class and storage of the standard plan. The installation's own Alibaba Cloud account
 * decides these; the defaults suit the sandbox.
 */
public record CloudNetwork(
    @DefaultValue("cn-hangzhou-h") String zoneId,
    @DefaultValue("aliyun_3_x64_20G_alibase") String imageId,
    @DefaultValue("sg-miniflow") String securityGroupId,
    @DefaultValue("vpc-miniflow") String vpcId,
    @DefaultValue("vsw-miniflow") String vSwitchId,
    @DefaultValue("5") int internetBandwidthOut,
    @DefaultValue("mysql.n2.medium.1") String rdsInstanceClass,
    @DefaultValue("20") int rdsStorageGb,
    @DefaultValue("8.0") String rdsEngineVersion,
    @DefaultValue("172.16.0.0/12") String rdsSecurityIps) {
}
