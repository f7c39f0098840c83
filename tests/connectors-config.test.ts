import path from 'node:path';
import { ConnectorConfigError, loadConnectorsConfig, parseConnectorsConfig } from '../connectors/config';

const FILE = 'test.yaml';

describe('connector configuration', () => {
  it('reads transports, addresses, secrets from named variables and merged limits', () => {
    const configs = parseConnectorsConfig(
      `
defaults: { timeoutMs: 1500, retries: 1 }
connectors:
  public-security:
    transport: http
    baseUrl: \${PS_URL:-http://127.0.0.1:4101}
    apiKeyEnv: PS_KEY
    limits: { timeoutMs: 800 }
  civil-affairs:
    transport: sql
    connectionString: postgresql://reader@db.internal:5432/exchange
    passwordEnv: CA_PASSWORD
    schema: civil_affairs_exchange
  education:
    transport: sql
    enabled: false
    connectionString: postgresql://x@y/z
    schema: education_exchange
`,
      FILE,
      { PS_KEY: 'secret-key', CA_PASSWORD: 'secret-password' },
    );
    expect(configs.map((c) => c.name)).toEqual(['public-security', 'civil-affairs']);
    expect(configs[0]).toMatchObject({
      transport: 'http',
      baseUrl: 'http://127.0.0.1:4101',
      apiKey: 'secret-key',
      limits: { timeoutMs: 800, retries: 1, batchSize: 200 },
    });
    expect(configs[1]).toMatchObject({ transport: 'sql', password: 'secret-password', poolSize: 5, limits: { timeoutMs: 1500 } });
  });

  it('derives the bulkheads from the transport: an SQL pool, half of it per consumer, unless configured', () => {
    const configs = parseConnectorsConfig(
      `
connectors:
  public-security: { transport: http, baseUrl: 'http://127.0.0.1:4101', limits: { concurrentCalls: 7 } }
  civil-affairs: { transport: sql, connectionString: 'postgresql://r@db:5432/x', schema: civil_affairs_exchange }
  education: { transport: sql, connectionString: 'postgresql://r@db:5432/x', schema: education_exchange, poolSize: 1 }
`,
      FILE,
      {},
    );
    expect(configs.map((c) => c.limits)).toMatchObject([
      { concurrentCalls: 7, concurrentCallsPerConsumer: 3, queuedCalls: 140, queuedCallsPerConsumer: 60 },
      { concurrentCalls: 5, concurrentCallsPerConsumer: 2, queuedCalls: 100, queuedCallsPerConsumer: 40 },
      { concurrentCalls: 1, concurrentCallsPerConsumer: 1 },
    ]);
    expect(() =>
      parseConnectorsConfig(
        `
connectors:
  public-security: { transport: http, baseUrl: 'http://127.0.0.1:4101', limits: { concurrentCalls: 2, concurrentCallsPerConsumer: 3 } }
`,
        FILE,
        {},
      ),
    ).toThrow(/connectors\.public-security\.limits\.concurrentCallsPerConsumer must not exceed concurrentCalls/);
  });

  it('takes ${VAR} from the environment over its default', () => {
    const [config] = parseConnectorsConfig(
      'connectors:\n  health:\n    transport: http\n    baseUrl: ${HEALTH_URL:-http://127.0.0.1:4102}\n',
      FILE,
      { HEALTH_URL: 'https://wjw.example.gov.cn/exchange' },
    );
    expect(config).toMatchObject({ baseUrl: 'https://wjw.example.gov.cn/exchange' });
  });

  it.each([
    [
      'an unset variable without default',
      'connectors:\n  health:\n    transport: http\n    baseUrl: ${NOPE}\n',
      /connectors\.health\.baseUrl refers to environment variable NOPE/,
    ],
    [
      'an unset secret variable',
      'connectors:\n  health:\n    transport: http\n    baseUrl: http://h\n    apiKeyEnv: MISSING_KEY\n',
      /connectors\.health\.apiKeyEnv names environment variable MISSING_KEY/,
    ],
    ['an unknown transport', 'connectors:\n  health:\n    transport: soap\n    baseUrl: http://h\n', /connectors\.health/],
    ['an unknown department', 'connectors:\n  tax:\n    transport: http\n    baseUrl: http://h\n', /connectors/],
    ['a bad URL', 'connectors:\n  health:\n    transport: http\n    baseUrl: not a url\n', /connectors\.health\.baseUrl/],
    ['a bad limit', 'defaults: { timeoutMs: 5 }\nconnectors: {}\n', /defaults\.timeoutMs/],
    ['broken YAML', 'connectors: [\n', /is not valid YAML/],
  ])('rejects %s with an error naming the file and the path', (_label, text, pattern) => {
    expect(() => parseConnectorsConfig(text, FILE, {})).toThrow(ConnectorConfigError);
    expect(() => parseConnectorsConfig(text, FILE, {})).toThrow(pattern);
    expect(() => parseConnectorsConfig(text, FILE, {})).toThrow(/^Invalid connector configuration in test\.yaml: /);
  });

  it('never puts a secret in an error', () => {
    const text = 'connectors:\n  health:\n    transport: http\n    baseUrl: ${SECRET_URL}\n    apiKeyEnv: KEY\n';
    expect(() => parseConnectorsConfig(text, FILE, { SECRET_URL: 'not a url', KEY: 'topsecret' })).toThrow(/^(?!.*topsecret)/);
  });

  it('the shipped connectors.config.yaml is valid and names all six departments', () => {
    const env = {
      PUBLIC_SECURITY_API_KEY: 'k',
      HEALTH_API_KEY: 'k',
      MEDICAL_INSURANCE_API_KEY: 'k',
      SOCIAL_SECURITY_API_KEY: 'k',
      CIVIL_AFFAIRS_EXCHANGE_URL: 'postgresql://r@h/d',
      CIVIL_AFFAIRS_EXCHANGE_PASSWORD: 'p',
      EDUCATION_EXCHANGE_URL: 'postgresql://r@h/d',
      EDUCATION_EXCHANGE_PASSWORD: 'p',
    };
    const configs = loadConnectorsConfig(path.resolve(__dirname, '..', 'connectors.config.yaml'), env);
    expect(configs.map((c) => [c.name, c.transport])).toEqual([
      ['public-security', 'http'],
      ['health', 'http'],
      ['medical-insurance', 'http'],
      ['social-security', 'http'],
      ['civil-affairs', 'sql'],
      ['education', 'sql'],
    ]);
  });
});
