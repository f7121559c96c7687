package io.miniflow.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body that refuses fields it does not know (400 naming the field, see {@link JsonStrictness}). /api's
 * bodies ignore them so that newer clients keep working; a contract where a misspelt optional field would silently
 * change what happens (the OpenAPI's) is marked with this. Jackson's own
 * {@code @JsonIgnoreProperties(ignoreUnknown = false)} cannot do it: it only falls back to the global setting.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StrictJson {
}
