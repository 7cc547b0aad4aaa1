/**
 * A KMS-shaped error: the HTTP layer turns it into a 400 response whose `__type` names the exception class
 * the AWS SDK raises (e.g. `NotFoundException`).
 */
export type KmsErrorType =
  | 'AlreadyExistsException'
  | 'IncorrectKeyException'
  | 'InvalidCiphertextException'
  | 'InvalidKeyUsageException'
  | 'KMSInvalidSignatureException'
  | 'NotFoundException'
  | 'SerializationException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

export class KmsError extends Error {
  readonly type: KmsErrorType;

  constructor(type: KmsErrorType, message: string) {
    super(message);
    this.name = type;
    this.type = type;
  }
}
