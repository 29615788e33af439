/**
 * A model's tokenizer (tokenizer.json via @huggingface/tokenizers, pure JS) and its chat
 * template (tokenizer_config.json via @huggingface/jinja), behind one small interface.
 */
import fs from 'node:fs';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { ModelError, reason } from './errors';
import { readJson } from './folder';

export interface ChatMessage {
  role: string;
  content: string;
}

const AddedTokenLike = z.union([z.string(), z.looseObject({ content: z.string() })]);
const TokenizerConfig = z.looseObject({
  bos_token: AddedTokenLike.nullable().optional(),
  eos_token: AddedTokenLike.nullable().optional(),
  pad_token: AddedTokenLike.nullable().optional(),
  chat_template: z.union([z.string(), z.array(z.looseObject({ name: z.string(), template: z.string() }))]).nullable().optional(),
});
type TokenizerConfig = z.infer<typeof TokenizerConfig>;

const tokenText = (t: z.infer<typeof AddedTokenLike> | null | undefined): string | undefined =>
  t == null ? undefined : typeof t === 'string' ? t : t.content;

export class TextTokenizer {
  readonly vocabSize: number;
  readonly bosTokenId: number | undefined;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | undefined;
  private readonly template: Template | null;
  private pieces: string[] | null = null;

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly config: TokenizerConfig,
    ids: { bos?: number; eos: number[]; pad?: number },
  ) {
    this.vocabSize = Math.max(...tokenizer.get_vocab(true).values()) + 1;
    const byName = (t: z.infer<typeof AddedTokenLike> | null | undefined) => {
      const text = tokenText(t);
      return text === undefined ? undefined : tokenizer.token_to_id(text);
    };
    this.bosTokenId = ids.bos ?? byName(config.bos_token);
    const eos = byName(config.eos_token);
    this.eosTokenIds = ids.eos.length > 0 ? ids.eos : eos === undefined ? [] : [eos];
    this.padTokenId = ids.pad ?? byName(config.pad_token) ?? this.eosTokenIds[0];
    const chat = config.chat_template;
    const source = typeof chat === 'string' ? chat : chat?.find((t) => t.name === 'default')?.template ?? chat?.[0]?.template;
    this.template = source ? new Template(source) : null;
  }

  /**
   * Loads tokenizer.json (+ tokenizer_config.json when present). `ids` are the special token ids
   * the model config declares; they win over the tokenizer config's token names.
   */
  static load(tokenizerPath: string, configPath: string | null, ids: { bos?: number; eos: number[]; pad?: number } = { eos: [] }): TextTokenizer {
    if (!fs.existsSync(tokenizerPath)) {
      throw new ModelError(`missing tokenizer: ${tokenizerPath} not found`, tokenizerPath);
    }
    const json = readJson(tokenizerPath, z.looseObject({ model: z.looseObject({}) }), 'a tokenizer.json (Hugging Face tokenizers format, with a "model" section)');
    const config = configPath ? readJson(configPath, TokenizerConfig, 'a tokenizer_config.json') : {};
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json, config);
    } catch (error) {
      throw new ModelError(`${tokenizerPath} could not be loaded as a tokenizer: ${reason(error)}`, tokenizerPath);
    }
    try {
      return new TextTokenizer(tokenizer, config, ids);
    } catch (error) {
      throw new ModelError(`${configPath ?? tokenizerPath}: chat template or special tokens could not be read: ${reason(error)}`, configPath ?? tokenizerPath);
    }
  }

  get hasChatTemplate(): boolean {
    return this.template !== null;
  }

  /** Token ids of `text`; special tokens (BOS, ...) only when asked, since search text is a continuation. */
  encode(text: string, addSpecialTokens = false): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  }

  decode(ids: readonly number[], skipSpecialTokens = true): string {
    return this.tokenizer.decode(ids as number[], { skip_special_tokens: skipSpecialTokens, clean_up_tokenization_spaces: false });
  }

  /** Each token's own text, for constrained decoding (computed once, on first use). */
  tokenPieces(): readonly string[] {
    if (!this.pieces) {
      this.pieces = Array.from({ length: this.vocabSize }, (_, id) => this.tokenizer.decode([id], { skip_special_tokens: true, clean_up_tokenization_spaces: false }));
    }
    return this.pieces;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** Renders messages with the model's chat template; throws when the model has none. */
  applyChatTemplate(messages: ChatMessage[], addGenerationPrompt = true): string {
    if (!this.template) throw new ModelError('this model has no chat_template in tokenizer_config.json');
    return this.template.render({
      messages,
      add_generation_prompt: addGenerationPrompt,
      bos_token: tokenText(this.config.bos_token) ?? '',
      eos_token: tokenText(this.config.eos_token) ?? '',
      pad_token: tokenText(this.config.pad_token) ?? '',
    });
  }
}
