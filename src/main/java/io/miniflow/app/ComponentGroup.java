package io.miniflow.app;

/** A group the designer sorts a workspace's components into; {@code components} counts the components in it. */
public record ComponentGroup(long id, String workspace, String name, int sortOrder, int components) {
}
