import type { SmsSender } from '../ports/delivery.ts';
import type { CustomerRepository, OperationRepository, PhoneRepository, ProductRepository, SmsLogRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import type { Sleep } from '../retry.ts';

/** What a service that acts on one client's state, once per operation, and texts that client needs. */
export interface ClientSmsDeps {
  products: ProductRepository;
  customers: CustomerRepository;
  phones: PhoneRepository;
  operations: OperationRepository;
  unitOfWork: UnitOfWork;
  /** Where each SMS sent is recorded under its SNS MessageId (its receipt finds it; the client's history lists it). */
  smsLog: SmsLogRepository;
  clock: Clock;
  ids: IdGenerator;
  /** The SMS channel; a throttled SMS is retried by the service (REPLY_RETRIES). */
  sender: SmsSender;
  sleep?: Sleep;
}
