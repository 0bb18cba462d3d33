package dev.mandate.kernel.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource (or method) whose caller must authenticate: {@link ApproverAuthentication} then puts
 * the authenticated actor in the request's security context ({@link ActorPrincipal}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface Authenticated {
}
