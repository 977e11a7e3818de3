/** The connector SPI: samples, machines and the contract every protocol connector fulfils. */
package io.atelier.connector.api;
