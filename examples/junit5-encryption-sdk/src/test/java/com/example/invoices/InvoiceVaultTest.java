package com.example.invoices;

import static dev.keyward.junit5.KmsAssertions.assertAccessDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.junit5.KeywardKms;
import dev.keyward.junit5.KmsIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/** The invoice vault against a local KMS that enforces the roles' policies, as AWS KMS would. */
@KeywardKms(world = "kms/world.yaml")
class InvoiceVaultTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/0b7c5a44-1f3e-4a6b-9d21-3c5e8f0a1b2c";

  @Test
  void service_sealsAndOpensAnInvoice(@KmsIdentity("role/InvoiceService") KmsClient service) {
    InvoiceVault vault = new InvoiceVault(service, KEY);
    byte[] sealed = vault.seal("INV-1001: 250.00 EUR");
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("INV-1001"));
    assertEquals("INV-1001: 250.00 EUR", vault.open(sealed));
  }

  @Test
  void reporting_sealsButCannotOpen(@KmsIdentity("role/InvoiceService") KmsClient service,
      @KmsIdentity("role/Reporting") KmsClient reporting) {
    byte[] sealed = new InvoiceVault(reporting, KEY).seal("INV-1002: 99.00 EUR");
    assertEquals("INV-1002: 99.00 EUR", new InvoiceVault(service, KEY).open(sealed));
    // the Encryption SDK wraps KMS's refusal; the assertion finds it
    assertAccessDenied(() -> new InvoiceVault(reporting, KEY).open(sealed));
  }

  @Test
  void theSdkDirectly_deniedOutsideThePolicysContext(@KmsIdentity("role/InvoiceService") KmsClient service) {
    SdkBytes dataKey = service.generateDataKey(r -> r.keyId("alias/invoices").numberOfBytes(32)
        .encryptionContext(Map.of("purpose", "invoice"))).ciphertextBlob();
    assertTrue(dataKey.asByteArray().length > 32);
    assertAccessDenied(() -> service.generateDataKey(r -> r.keyId("alias/invoices").numberOfBytes(32)
        .encryptionContext(Map.of("purpose", "payroll"))));
  }
}
