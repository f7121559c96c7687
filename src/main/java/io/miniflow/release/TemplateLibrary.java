package io.miniflow.release;

/**
 * The platform's code template library (WeChat's 模板库). A batch names one template for every mini program; one
 * that is not in the library would fail at each commit, so it is refused before a batch starts.
 */
public interface TemplateLibrary {

    /** Whether the library holds this template; throws when the platform cannot be asked. */
    boolean contains(long templateId);
}
