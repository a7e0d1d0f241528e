/** A Kubernetes object name's form (RFC 1123 label): lowercase letters, digits and '-', alphanumeric at both ends. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
