package dev.mandate.api.grant;

/**
 * One change a grant allows.
 *
 * @param action the action wire name ({@code delete}, {@code update} …)
 * @param target the element id
 */
public record GrantedChange(String action, String target) {
}
