/** A crash in one part of the studio shows what broke and a way back, not a blank window. */
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode; label: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error(`[studio] ${this.props.label} crashed:`, error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="empty-state error-state" role="alert">
        <p>
          The {this.props.label} stopped: {this.state.error.message}
        </p>
        <button className="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
