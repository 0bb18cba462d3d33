package dev.mandate.api.model;

/**
 * Part of a change set that was not applied, and why.
 *
 * @param ref    the element id or relation ({@code from -TYPE-> to}) concerned
 * @param reason one lowercase line saying what was wrong
 */
public record Rejection(String ref, String reason) {
}
